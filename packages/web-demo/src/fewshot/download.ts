import { exportNetwork, type FewShotModel, fewShotNetwork, tf } from '@hypermeta/core';
import { zipSync } from 'fflate';

const SIZE = 28;

/** The drawn support set the classifier is adapted to: `ways` classes of `shots` images, class-major. */
export interface DrawnSupport {
  model: FewShotModel;
  support: Float32Array[];
  ways: number;
  shots: number;
}

/**
 * The adapted classifier as a zip of the files `hypermeta adapt --export` writes (model.json and
 * its weights for tfjs-layers, model.onnx, labels.json): it runs without hypermeta.
 */
export function classifierZip({ model, support, ways, shots }: DrawnSupport): Uint8Array {
  const flat = new Float32Array(support.length * SIZE * SIZE);
  support.forEach((img, i) => flat.set(img, i * SIZE * SIZE));
  // Batch norm takes its statistics from the support set alone: the one query is a placeholder.
  const ep = {
    ways,
    shots,
    support: tf.tensor4d(flat, [ways * shots, SIZE, SIZE, 1]),
    query: tf.tensor4d(support[0], [1, SIZE, SIZE, 1]),
  };
  try {
    const labels = Array.from({ length: ways }, (_, c) => `class ${c + 1}`);
    return zipSync(exportNetwork(fewShotNetwork(model, ep, labels), 'hypermeta web demo').files);
  } finally {
    tf.dispose([ep.support, ep.query]);
  }
}

/**
 * A "Download this classifier" button and its size readout, added to `root`. `current` gives the
 * drawn support set, or a sentence saying what is missing.
 */
export function mountDownload(root: HTMLElement, current: () => DrawnSupport | string): void {
  const row = document.createElement('p');
  row.className = 'download-row';
  const button = document.createElement('button');
  button.id = 'download-classifier';
  button.textContent = 'Download this classifier';
  const note = document.createElement('span');
  note.id = 'download-size';
  row.append(button, ' ', note);
  root.append(row);
  button.onclick = () => {
    const drawn = current();
    if (typeof drawn === 'string') {
      note.textContent = drawn;
      return;
    }
    const zip = classifierZip(drawn);
    const url = URL.createObjectURL(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'hypermeta-classifier.zip';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    note.textContent = `${(zip.byteLength / 1000).toFixed(1)} kB (model.json + weights for tfjs-layers, model.onnx, labels.json)`;
    note.dataset.bytes = String(zip.byteLength);
  };
}
