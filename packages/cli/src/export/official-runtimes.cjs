// Runs an exported folder with the official runtimes in a process of its own, with no hypermeta
// loaded: tfjs-layers (tf.loadLayersModel over http, cpu backend) and onnxruntime-node.
// Usage: node official-runtimes.cjs DIR INPUT.bin SHAPE_JSON → JSON { tfjs: number[], onnx: number[] }.
const { readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { basename, join } = require('node:path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const ort = require('onnxruntime-node');

async function main() {
  const [dir, inputPath, shapeJson] = process.argv.slice(2);
  const shape = JSON.parse(shapeJson);
  const bytes = readFileSync(inputPath);
  const x = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  // The real files over http, as a page would load them.
  const server = createServer((req, res) => {
    try {
      const name = basename(decodeURIComponent(new URL(req.url, 'http://x').pathname));
      res.writeHead(200).end(readFileSync(join(dir, name)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  try {
    const model = await tfl.loadLayersModel(`http://127.0.0.1:${server.address().port}/model.json`);
    const y = model.predict(tf.tensor(x, shape));
    const tfjs = Array.from(await y.data());
    const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
    const r = await session.run({ input: new ort.Tensor('float32', x, shape) });
    process.stdout.write(
      JSON.stringify({ tfjs, onnx: Array.from(r.output.data), outputShape: r.output.dims }),
    );
  } finally {
    server.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
