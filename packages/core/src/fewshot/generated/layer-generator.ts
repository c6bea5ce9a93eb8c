import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/errors.js';
import { heUniform, normalFill } from '../../params/init.js';
import { type ParamShapes, type ParamSpec, prefixShapes, specSize } from '../../params/param-shapes.js';
import type { Rng } from '../../random/rng.js';

/** A layer of the target: the specs that share a name prefix (`conv0/…`) and a last dimension (its units). */
interface LayerGroup {
  name: string;
  specs: ParamSpec[];
  /** Output units (channels) of the layer: every spec's last dimension. */
  units: number;
  /** Values per unit over all the layer's specs (a 3×3×Cin kernel column, its gamma, its beta). */
  unitSize: number;
  /** Size of what the layer reads per position, pooled from the target's activations. */
  inputSize: number;
}

export interface LayerwiseGeneratorOptions {
  /** The target's layer shapes in order; each `prefix/` group is one layer, its specs' last dimension its units. */
  targetShapes: ParamShapes;
  /** Size of the generator's own description of each class (a feature extractor's prototype). */
  contextSize: number;
  /** Channels of the target's input (what its first layer reads); later layers read the previous one's units. */
  inputSize: number;
  /** Width of the generator's tokens and hidden layers. */
  hidden: number;
  /**
   * The target's own initial values, one array per spec: the start of each unit's learned base
   * (the output layer's per-unit bias), so a fresh generator writes a standard random network.
   */
  baseInit: (rng: Rng) => Float32Array[];
  /** How strongly the support set moves the written values at first, relative to a standard init's spread. */
  headGain: number;
}

/**
 * Writes a target network layer by layer from the support set (after HyperTransformer,
 * Zhmoginov et al. 2022). For layer l, each class is a token built from the generator's own
 * description of it and from the target's activations of its support images at layer l's input
 * (pooled), so layer l is written knowing what the layers before it made of this episode.
 * Each output unit of the layer has a learned token that attends over the class tokens; its
 * attended context, the episode's mean token and its own token make a hidden vector from which
 * one shared linear map per layer emits the unit's whole slice (kernel column, scale, shift), added
 * to that unit's learned base (the map's per-unit bias).
 * Its size grows with the units, not with their square, so the same design serves 4 to 64 channels.
 */
export class LayerwiseGenerator {
  readonly groups: LayerGroup[];
  readonly paramShapes: ParamShapes;
  private readonly groupShapes: ParamShapes[];
  private readonly scales: Float32Array[];

  constructor(private readonly options: LayerwiseGeneratorOptions) {
    this.groups = groupLayers(options.targetShapes, options.inputSize);
    const H = options.hidden;
    this.groupShapes = this.groups.map((g) => [
      { name: 'tok/w', shape: [options.contextSize + g.inputSize, H] },
      { name: 'tok/b', shape: [H] },
      { name: 'units', shape: [g.units, H] },
      { name: 'key/w', shape: [H, H] },
      { name: 'mix/wz', shape: [H, H] },
      { name: 'mix/wc', shape: [H, H] },
      { name: 'mix/b', shape: [H] },
      { name: 'out/w', shape: [H, g.unitSize] },
      { name: 'out/b', shape: [g.units, g.unitSize] },
    ]);
    this.paramShapes = this.groups.flatMap((g, i) => prefixShapes(g.name, this.groupShapes[i]));
    // Standard-initialisation spreads per value (He for weights), folded into the output map's
    // initial weights, so a fresh generator writes a target of sensible magnitude at any width.
    this.scales = this.groups.map((g) => {
      const out = new Float32Array(g.unitSize);
      let at = 0;
      for (const s of g.specs) {
        const k = specSize(s) / g.units;
        out.fill(s.shape.length > 1 ? Math.sqrt(2 / k) : 1, at, at + k);
        at += k;
      }
      return out;
    });
  }

  get layerCount(): number {
    return this.groups.length;
  }

  init(rng: Rng): Float32Array[] {
    const H = this.options.hidden;
    const base = this.options.baseInit(rng);
    let spec = 0;
    return this.groups.flatMap((g, gi) => {
      const [tokW, tokB, units, key, wz, wc, b, outW] = this.groupShapes[gi];
      const scale = this.scales[gi];
      const head = normalFill(outW, rng, this.options.headGain / Math.sqrt(H));
      for (let i = 0; i < head.length; i++) head[i] *= scale[i % g.unitSize];
      // Unit u's row of the base: each spec's values of that unit (its last index), in spec order.
      const bias = new Float32Array(g.units * g.unitSize);
      let at = 0;
      for (const s of g.specs) {
        const k = specSize(s) / g.units;
        const values = base[spec++];
        for (let u = 0; u < g.units; u++)
          for (let j = 0; j < k; j++) bias[u * g.unitSize + at + j] = values[j * g.units + u];
        at += k;
      }
      return [
        heUniform(tokW, rng),
        new Float32Array(specSize(tokB)),
        normalFill(units, rng, 1),
        normalFill(key, rng, 1 / Math.sqrt(H)),
        heUniform(wz, rng),
        heUniform(wc, rng),
        new Float32Array(specSize(b)),
        head,
        bias,
      ];
    });
  }

  /** The slice of this generator's weights (in `paramShapes` order) that writes layer `layer`. */
  layerWeights(weights: readonly tf.Tensor[], layer: number): tf.Tensor[] {
    const n = this.groupShapes[0].length;
    return weights.slice(layer * n, (layer + 1) * n) as tf.Tensor[];
  }

  /**
   * Layer `layer`'s values, one tensor per spec in the target's shapes: from each class's
   * context [ways, contextSize] and pooled target activations [ways, inputSize].
   */
  generateLayer(
    weights: readonly tf.Tensor[],
    layer: number,
    context: tf.Tensor2D,
    activations: tf.Tensor2D,
  ): tf.Tensor[] {
    const g = this.groups[layer];
    const [tokW, tokB, units, key, wz, wc, b, outW, outB] = this.layerWeights(weights, layer);
    const H = this.options.hidden;
    const tokens = tf.relu(tf.add(tf.matMul(tf.concat([context, activations], 1), tokW), tokB));
    // Each unit attends over the classes: units may specialise in different classes of the episode.
    const keys = tf.matMul(tokens, key);
    const attention = tf.softmax(tf.div(tf.matMul(units, keys, false, true), Math.sqrt(H)));
    const attended = tf.matMul(attention, tokens); // [units, H]
    const pooled = tf.mean(tokens, 0, true); // [1, H]
    const hidden = tf.relu(
      tf.add(tf.add(tf.matMul(attended, wc), tf.matMul(pooled, wz)), tf.add(units, b)),
    ) as tf.Tensor2D;
    const values = tf.add(tf.matMul(hidden, outW), outB); // [units, unitSize]
    const out: tf.Tensor[] = [];
    let at = 0;
    for (const s of g.specs) {
      const k = specSize(s) / g.units;
      // [units, k] → [k, units] → the spec's shape (its last dimension is the unit).
      out.push(tf.reshape(tf.transpose(tf.slice(values, [0, at], [g.units, k])), s.shape as number[]));
      at += k;
    }
    return out;
  }
}

/** Splits target shapes into layers by name prefix, checking each layer's specs share their units. */
function groupLayers(shapes: ParamShapes, inputSize: number): LayerGroup[] {
  const groups: LayerGroup[] = [];
  for (const s of shapes) {
    const name = s.name.split('/')[0];
    const units = s.shape[s.shape.length - 1];
    let g = groups[groups.length - 1];
    if (!g || g.name !== name) {
      if (groups.some((x) => x.name === name))
        throw new InvalidArgumentError(`target layer '${name}' is not contiguous in the parameter shapes`);
      g = { name, specs: [], units, unitSize: 0, inputSize: groups.at(-1)?.units ?? inputSize };
      groups.push(g);
    }
    if (units !== g.units)
      throw new InvalidArgumentError(
        `target layer '${name}': '${s.name}' has ${units} units, the layer's first parameter ${g.units}`,
      );
    g.specs.push(s);
    g.unitSize += specSize(s) / units;
  }
  return groups;
}
