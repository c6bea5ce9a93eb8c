// Experiment (not shipped): where batch-norm statistics come from at test time.
// support (the product), support+query (transductive, reference only), support + R fixed training images.
import { tf, useBackend, loadCheckpoint, sampleEpisode, episodeTensors, disposeEpisode, conv4Embed, linearLogits, Rng, meanCi95, imageAt } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { folderReader, resolveCheckpointDir } from '../packages/cli/dist/io/checkpoint-dir.js';
import { loadOmniglotSplit } from '../packages/cli/dist/data/omniglot-split.js';
tf.env().set('PROD', true);
await useBackend('wasm');
const [dir, ways = '5', episodes = '300', R = '100'] = process.argv.slice(2);
const { model } = await loadCheckpoint(folderReader(resolveCheckpointDir(dir)), { optimizer: false });
const split = await loadOmniglotSplit('/work/shared/data/omniglot', 2);
const rr = Rng.fromSeed(3, 'ref');
const nref = Number(R);
const refPix = new Float32Array(nref * 784);
for (let i = 0; i < nref; i++) { const c = split.train.classes[rr.int(split.train.classes.length)]; refPix.set(imageAt(split.train, c.images[rr.int(c.images.length)]), i * 784); }
const ref = tf.tensor4d(refPix, [nref, 28, 28, 1]);
for (const mode of ['support', 'transductive', 'support+ref']) {
  const rng = Rng.fromSeed(1, 'fewshot-eval');
  const accs = [];
  for (let i = 0; i < Number(episodes); i++) {
    const ep = episodeTensors(sampleEpisode(split.test, { ways: Number(ways), shots: 1, queries: 5, rng }));
    const acc = tf.tidy(() => {
      const ns = ep.support.shape[0];
      const w = model.store.group('backbone');
      let s, q;
      if (mode === 'support+ref') {
        const all = conv4Embed(w, tf.concat([ep.support, ref, ep.query]), ns + nref);
        s = tf.slice(all, 0, ns); q = tf.slice(all, ns + nref);
      } else {
        const all = conv4Embed(w, tf.concat([ep.support, ep.query]), mode === 'support' ? ns : undefined);
        s = tf.slice(all, 0, ns); q = tf.slice(all, ns);
      }
      const { w: hw, b } = model.head(s, ep);
      return tf.mean(tf.cast(tf.equal(tf.argMax(linearLogits(q, hw, b), 1), ep.queryLabels), 'float32')).dataSync()[0];
    });
    accs.push(acc);
    disposeEpisode(ep);
  }
  const { mean, ci95 } = meanCi95(accs);
  console.log(JSON.stringify({ mode, ways, acc: mean.toFixed(4), ci95: ci95.toFixed(4) }));
}
