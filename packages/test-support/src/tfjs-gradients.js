// Stands in for '@tensorflow/tfjs-core/dist/register_all_gradients' in vitest (see
// core-source-alias.js). tfjs-core ships its gradient registrations only as ESM files; under vitest
// '@tensorflow/tfjs-core' itself is the CommonJS main (dist/tf-core.node.js), which the backends
// also require. The ESM files pull in their own tensor.js and engine.js, and whichever copy runs
// first claims tfjs's process-wide Tensor class and engine. Core's index imports the gradients
// first, so the ESM copy won: its Tensor class has no op handler (ESM base_side_effects never
// runs), and tensors failed inside ops ("reading 'cast'" of null in tf.norm). Loading the main
// first, as the CLI's esbuild bundle of core does, leaves one engine and one Tensor class: the main's.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
