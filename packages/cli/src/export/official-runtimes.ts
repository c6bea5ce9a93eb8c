import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./official-runtimes.cjs', import.meta.url));

/** What the official runtimes compute from an exported folder on one input batch. */
export interface RuntimeOutputs {
  tfjs: Float32Array;
  onnx: Float32Array;
  outputShape: number[];
}

/**
 * Runs the folder's model.json (tfjs-layers, loaded over http) and model.onnx (onnxruntime-node)
 * on `x` [shape] in a separate Node process with no hypermeta in it. For tests.
 */
export function runOfficialRuntimes(dir: string, x: Float32Array, shape: number[]): RuntimeOutputs {
  const input = join(dir, '..', `${Date.now()}-${process.pid}.input.bin`);
  writeFileSync(input, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  const r = spawnSync(process.execPath, [SCRIPT, dir, input, JSON.stringify(shape)], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  if (r.status !== 0) throw new Error(`the official runtimes failed: ${r.stderr || r.error?.message}`);
  const out = JSON.parse(r.stdout) as { tfjs: number[]; onnx: number[]; outputShape: number[] };
  return {
    tfjs: Float32Array.from(out.tfjs),
    onnx: Float32Array.from(out.onnx),
    outputShape: out.outputShape,
  };
}
