import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../errors/errors.js';
import { type ParamShapes, paramCount, specSize } from './param-shapes.js';

let instances = 0;

/**
 * The trainable state of a model: one tf.Variable per named shape. tfjs wants globally unique
 * variable names, so each store prefixes its own id; checkpoints use the logical names.
 */
export class ParamStore {
  readonly shapes: ParamShapes;
  readonly variables: tf.Variable[];
  private readonly index = new Map<string, number>();

  constructor(shapes: ParamShapes, values: readonly Float32Array[]) {
    const id = `hm${++instances}`;
    this.shapes = shapes;
    this.variables = shapes.map((s, i) => {
      if (values[i].length !== specSize(s))
        throw new Error(`init of ${s.name}: ${values[i].length} values for shape [${s.shape}]`);
      this.index.set(s.name, i);
      return tf.tidy(() => tf.variable(tf.tensor(values[i], [...s.shape]), true, `${id}/${s.name}`));
    });
  }

  /** Variables whose logical names start with `prefix/`, in shape order. */
  group(prefix: string): tf.Variable[] {
    return this.variables.filter((_, i) => this.shapes[i].name.startsWith(`${prefix}/`));
  }

  get(name: string): tf.Variable {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`no parameter named ${name}`);
    return this.variables[i];
  }

  /** Logical name → tensor (the variables themselves; do not dispose). */
  named(): { name: string; tensor: tf.Tensor }[] {
    return this.shapes.map((s, i) => ({ name: s.name, tensor: this.variables[i] }));
  }

  /** Replaces every value; the map must hold exactly the store's names and shapes. */
  assign(values: Record<string, tf.Tensor>, source: string): void {
    for (const s of this.shapes) {
      const t = values[s.name];
      if (!t) throw new CheckpointError(`${source}: weight '${s.name}' is missing`);
      if (t.shape.length !== s.shape.length || t.shape.some((d, j) => d !== s.shape[j])) {
        throw new CheckpointError(
          `${source}: weight '${s.name}' has shape [${t.shape}], the configuration needs [${s.shape}]`,
        );
      }
    }
    const extra = Object.keys(values).filter((k) => !this.index.has(k));
    if (extra.length) throw new CheckpointError(`${source}: unexpected weight '${extra[0]}'`);
    for (const s of this.shapes) this.get(s.name).assign(values[s.name]);
  }

  /** Every value in one array, in shape order (to hand the weights to another thread). */
  readFlat(): Float32Array {
    const out = new Float32Array(paramCount(this.shapes));
    let at = 0;
    for (const v of this.variables) {
      out.set(v.dataSync() as Float32Array, at);
      at += v.size;
    }
    return out;
  }

  /** Replaces every value from one array in shape order (readFlat's inverse). */
  writeFlat(values: Float32Array): void {
    const total = paramCount(this.shapes);
    if (values.length !== total)
      throw new Error(`writeFlat: ${values.length} values for ${total} parameters`);
    let at = 0;
    for (const v of this.variables) {
      tf.tidy(() => v.assign(tf.tensor(values.subarray(at, at + v.size), v.shape)));
      at += v.size;
    }
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
