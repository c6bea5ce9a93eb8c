import { InvalidArgumentError } from '../errors/errors.js';

/** One named parameter tensor of a network, without the task-batch dimension. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * Ordered list of a network's parameter shapes: plain data, and the only thing a generator
 * needs to know about the task network it generates for.
 */
export type ParamShapes = readonly ParamSpec[];

export function specSize(spec: ParamSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}

export function paramCount(shapes: ParamShapes): number {
  return shapes.reduce((n, s) => n + specSize(s), 0);
}

/** Offsets of each tensor inside the flat parameter vector. */
export function paramOffsets(shapes: ParamShapes): number[] {
  const out: number[] = [];
  let at = 0;
  for (const s of shapes) {
    out.push(at);
    at += specSize(s);
  }
  return out;
}

/** Validates untrusted data (a checkpoint, a config) as ParamShapes. */
export function parseParamShapes(value: unknown): ParamShapes {
  if (!Array.isArray(value)) throw new InvalidArgumentError('parameter shapes must be an array');
  const names = new Set<string>();
  return value.map((v, i) => {
    const spec = v as { name?: unknown; shape?: unknown };
    if (typeof spec?.name !== 'string' || spec.name === '') {
      throw new InvalidArgumentError(`parameter shape ${i}: name must be a non-empty string`);
    }
    if (names.has(spec.name))
      throw new InvalidArgumentError(`parameter shape ${i}: duplicate name '${spec.name}'`);
    names.add(spec.name);
    const shape = spec.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new InvalidArgumentError(`parameter '${spec.name}': shape must be a list of positive integers`);
    }
    return { name: spec.name, shape: [...shape] as number[] };
  });
}

export function sameParamShapes(a: ParamShapes, b: ParamShapes): boolean {
  return (
    a.length === b.length &&
    a.every(
      (s, i) =>
        s.name === b[i].name &&
        s.shape.length === b[i].shape.length &&
        s.shape.every((d, j) => d === b[i].shape[j]),
    )
  );
}

/** Prefixes every name, to keep the shapes of several modules apart in one store. */
export function prefixShapes(prefix: string, shapes: ParamShapes): ParamShapes {
  return shapes.map((s) => ({ name: `${prefix}/${s.name}`, shape: s.shape }));
}
