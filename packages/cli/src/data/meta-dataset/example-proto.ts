import { lazyModule } from '../../lazy-module.js';

const protobufjs = lazyModule<typeof import('protobufjs/light.js')>('protobufjs/light.js');

/**
 * TensorFlow's `tf.train.Example` schema (tensorflow/core/example/example.proto and feature.proto,
 * proto3) as a protobufjs JSON descriptor, so no .proto parser is loaded at run time:
 *
 *   message BytesList { repeated bytes value = 1; }
 *   message FloatList { repeated float value = 1 [packed = true]; }
 *   message Int64List { repeated int64 value = 1 [packed = true]; }
 *   message Feature { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
 *   message Features { map<string, Feature> feature = 1; }
 *   message Example { Features features = 1; }
 */
const EXAMPLE_DESCRIPTOR = {
  nested: {
    tensorflow: {
      nested: {
        BytesList: { fields: { value: { rule: 'repeated', type: 'bytes', id: 1 } } },
        FloatList: {
          fields: { value: { rule: 'repeated', type: 'float', id: 1, options: { packed: true } } },
        },
        Int64List: {
          fields: { value: { rule: 'repeated', type: 'int64', id: 1, options: { packed: true } } },
        },
        Feature: {
          oneofs: { kind: { oneof: ['bytes_list', 'float_list', 'int64_list'] } },
          fields: {
            bytes_list: { type: 'BytesList', id: 1 },
            float_list: { type: 'FloatList', id: 2 },
            int64_list: { type: 'Int64List', id: 3 },
          },
        },
        Features: { fields: { feature: { keyType: 'string', type: 'Feature', id: 1 } } },
        Example: { fields: { features: { type: 'Features', id: 1 } } },
      },
    },
  },
};

let exampleType: import('protobufjs/light.js').Type | undefined;
const ExampleType = () =>
  (exampleType ??= protobufjs().Root.fromJSON(EXAMPLE_DESCRIPTOR).lookupType('tensorflow.Example'));

/** One feature's values; int64 values are BigInts, so no label loses precision. */
export type FeatureValue =
  | { kind: 'bytes'; value: Uint8Array[] }
  | { kind: 'float'; value: number[] }
  | { kind: 'int64'; value: bigint[] }
  | { kind: 'none' };

interface DecodedFeature {
  bytes_list?: { value: Uint8Array[] };
  float_list?: { value: number[] };
  int64_list?: { value: Array<number | { toString(): string }> };
}

/**
 * Decodes a serialized `tf.train.Example` into its features by name. Throws what protobufjs
 * throws for bytes that are not an Example (the caller words it with the file and offset).
 */
export function decodeExample(bytes: Uint8Array): Map<string, FeatureValue> {
  const message = ExampleType().decode(bytes) as unknown as {
    features?: { feature?: Record<string, DecodedFeature> };
  };
  const out = new Map<string, FeatureValue>();
  for (const [name, f] of Object.entries(message.features?.feature ?? {})) {
    if (f.bytes_list) out.set(name, { kind: 'bytes', value: f.bytes_list.value });
    else if (f.float_list) out.set(name, { kind: 'float', value: f.float_list.value });
    // protobufjs gives int64 as a Long (or a number where it fits): both print as decimal
    else if (f.int64_list)
      out.set(name, { kind: 'int64', value: f.int64_list.value.map((v) => BigInt(v.toString())) });
    else out.set(name, { kind: 'none' });
  }
  return out;
}

/** Encodes an Example (used by tests to make records; Meta-Dataset's own files come from TensorFlow). */
export function encodeExample(features: Record<string, FeatureValue>): Uint8Array {
  const feature: Record<string, DecodedFeature> = {};
  for (const [name, f] of Object.entries(features)) {
    if (f.kind === 'bytes') feature[name] = { bytes_list: { value: f.value } };
    else if (f.kind === 'float') feature[name] = { float_list: { value: f.value } };
    else if (f.kind === 'int64') feature[name] = { int64_list: { value: f.value.map((v) => v.toString()) } };
    else feature[name] = {};
  }
  const type = ExampleType();
  return type.encode(type.create({ features: { feature } })).finish();
}
