import onnxProto from 'onnx-proto';
import { layerShapes, type NetworkSpec, windowOutput } from './network-spec.js';

const { onnx } = onnxProto;
type Node = InstanceType<typeof onnx.NodeProto>;
type Tensor = InstanceType<typeof onnx.TensorProto>;
const { AttributeType } = onnx.AttributeProto;

/** ONNX opset the graph uses (13: Conv, Gemm, MaxPool, ReduceL2 with an axes attribute, Transpose). */
export const ONNX_OPSET = 13;
/** The graph's input and output names. */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';

const ints = (name: string, values: number[]) => ({ name, type: AttributeType.INTS, ints: values });
const int = (name: string, i: number) => ({ name, type: AttributeType.INT, i });

/** A float32 initializer; raw data is little-endian, as ONNX requires on every platform. */
function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Tensor {
  const raw = new Uint8Array(4 * values.length);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw });
}

/** HWIO (tfjs) → OIHW (ONNX) kernel layout. */
function oihw(kernel: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          out[((o * cin + i) * kh + y) * kw + x] = kernel[((y * kw + x) * cin + i) * cout + o];
  return out;
}

/** TensorFlow's 'same' padding for one axis: the odd cell goes after. */
function samePads(size: number, k: number, stride: number): [number, number] {
  const total = Math.max((windowOutput(size, k, stride, 'same') - 1) * stride + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function valueInfo(name: string, shape: number[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))] },
      },
    },
  });
}

/**
 * The network as an ONNX model (ModelProto bytes), opset 13: input `input` [N, ...inputShape]
 * float32 (NHWC for images, as hypermeta takes them), output `output` [N, ...]. Images are
 * transposed to NCHW once before the first convolution (ONNX's Conv and MaxPool layout) and back
 * before a flatten that spans more than one cell, so the flattened order is hypermeta's.
 */
export function toOnnx(spec: NetworkSpec, producerVersion = ''): Uint8Array {
  const shapes = layerShapes(spec);
  const nodes: Node[] = [];
  const inits: Tensor[] = [];
  let current = ONNX_INPUT;
  // A record, not a variable: the helpers below change it, which control-flow narrowing cannot see.
  const at: { layout: 'nhwc' | 'nchw' | 'flat' } = { layout: spec.inputShape.length === 3 ? 'nhwc' : 'flat' };
  let shape = spec.inputShape;
  let n = 0;
  const node = (op: string, inputs: string[], attribute: object[] = []) => {
    const output = `${op.toLowerCase()}_${n++}`;
    nodes.push(
      onnx.NodeProto.create({ opType: op, name: output, input: inputs, output: [output], attribute }),
    );
    current = output;
  };
  const init = (dims: number[], values: ArrayLike<number>) => {
    const name = `w_${inits.length}`;
    inits.push(floatTensor(name, dims, values));
    return name;
  };
  const toNchw = () => {
    if (at.layout === 'nhwc') node('Transpose', [current], [ints('perm', [0, 3, 1, 2])]);
    at.layout = 'nchw';
  };
  spec.layers.forEach((l, i) => {
    switch (l.kind) {
      case 'conv2d': {
        toNchw();
        const [kh, kw, cin, cout] = l.kernelShape;
        const pads =
          l.padding === 'same'
            ? ((p, q) => [p[0], q[0], p[1], q[1]])(
                samePads(shape[0], kh, l.stride),
                samePads(shape[1], kw, l.stride),
              )
            : [0, 0, 0, 0];
        const inputs = [current, init([cout, cin, kh, kw], oihw(l.kernel, l.kernelShape))];
        if (l.bias) inputs.push(init([cout], l.bias));
        node('Conv', inputs, [
          ints('kernel_shape', [kh, kw]),
          ints('strides', [l.stride, l.stride]),
          ints('pads', pads),
        ]);
        break;
      }
      case 'affine': {
        // Per-channel constants broadcast over NCHW's trailing spatial axes as [C, 1, 1].
        const dims = at.layout === 'nchw' ? [l.scale.length, 1, 1] : [l.scale.length];
        node('Mul', [current, init(dims, l.scale)]);
        node('Add', [current, init(dims, l.shift)]);
        break;
      }
      case 'relu':
        node('Relu', [current]);
        break;
      case 'maxPool':
        toNchw();
        node(
          'MaxPool',
          [current],
          [ints('kernel_shape', [l.size, l.size]), ints('strides', [l.stride, l.stride])],
        );
        break;
      case 'flatten':
        // Channels-last order, as hypermeta flattens; a 1×1 map needs no transpose.
        if (at.layout === 'nchw' && shape[0] * shape[1] > 1)
          node('Transpose', [current], [ints('perm', [0, 2, 3, 1])]);
        node('Flatten', [current], [int('axis', 1)]);
        at.layout = 'flat';
        break;
      case 'dense': {
        const w = init(l.kernelShape, l.kernel);
        if (l.bias) node('Gemm', [current, w, init([l.kernelShape[1]], l.bias)]);
        else node('MatMul', [current, w]);
        break;
      }
      case 'l2Normalize': {
        const x = current;
        node('ReduceL2', [x], [ints('axes', [-1]), int('keepdims', 1)]);
        node('Add', [current, init([], [l.epsilon])]);
        node('Div', [x, current]);
        node('Mul', [current, init([], [l.scale])]);
        break;
      }
    }
    shape = shapes[i];
  });
  if (at.layout === 'nchw') node('Transpose', [current], [ints('perm', [0, 2, 3, 1])]);
  if (nodes.length === 0) node('Identity', [current]);
  nodes[nodes.length - 1].output = [ONNX_OUTPUT];
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'hypermeta',
    producerVersion,
    docString: `input: ${spec.inputNote}\noutput: ${spec.outputNote}`,
    graph: {
      name: 'hypermeta_adapted_network',
      node: nodes,
      initializer: inits,
      input: [valueInfo(ONNX_INPUT, spec.inputShape)],
      output: [valueInfo(ONNX_OUTPUT, shape)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
