import { inkImage } from '@hypermeta/core';
import { state } from '../runtime.js';
import { classifyDrawing, type Classification } from './classify.js';
import { DrawPad } from './draw-pad.js';
import { mountDownload } from './download.js';
import { loadFewShotModel } from './model.js';

const MAX_SHOTS = 5;
const SIZE = 28;

/** Shows a 28×28 ink image as the model sees it (ink dark on white). */
function thumbnail(img: Float32Array): HTMLCanvasElement {
  const c = document.createElement('canvas');
  [c.width, c.height] = [SIZE, SIZE];
  const data = new ImageData(SIZE, SIZE);
  img.forEach((v, i) => {
    const g = Math.round(255 * (1 - v));
    data.data.set([g, g, g, 255], i * 4);
  });
  c.getContext('2d')!.putImageData(data, 0, 0);
  return c;
}

function showScores(el: HTMLElement, r: Classification, shots: number): void {
  el.replaceChildren();
  const head = document.createElement('p');
  head.innerHTML = `<strong>Class ${r.predicted + 1}</strong> <small>(${shots}-shot, ${r.ms.toFixed(1)} ms)</small>`;
  el.append(head);
  r.scores.forEach((p, c) => {
    const row = document.createElement('div');
    row.className = 'score-row' + (c === r.predicted ? ' best' : '');
    row.innerHTML = `class ${c + 1}: ${(100 * p).toFixed(1)} %<div class="bar" style="width:${(100 * p).toFixed(1)}%"></div>`;
    el.append(row);
  });
  el.dataset.predicted = String(r.predicted);
}

/** The drawing panel: examples per class from the pad, then a query classified by the model. */
export async function startFewShotPanel(): Promise<void> {
  const root = document.getElementById('fewshot')!;
  const classesEl = document.getElementById('classes')!;
  const scoresEl = document.getElementById('scores')!;
  const waysEl = document.getElementById('ways') as HTMLSelectElement;
  const pad = new DrawPad(document.getElementById('draw-pad') as HTMLCanvasElement);
  const source = await loadFewShotModel();
  document.getElementById('fewshot-model')!.textContent = source.note;
  let examples: Float32Array[][] = [];
  const s = {
    trained: source.trained,
    examples: [] as number[],
    result: null as Classification | null,
    error: '',
  };
  state.fewshot = s;

  const padImage = () => {
    const { data, width, height } = pad.pixels();
    return inkImage(data, width, height, SIZE);
  };
  const render = () => {
    s.examples = examples.map((e) => e.length);
    classesEl.replaceChildren(
      ...examples.map((imgs, c) => {
        const row = document.createElement('div');
        row.className = 'class-row';
        const add = document.createElement('button');
        add.textContent = `Add to class ${c + 1}`;
        add.id = `add-class-${c + 1}`;
        add.disabled = imgs.length >= MAX_SHOTS;
        add.onclick = () => {
          if (!pad.hasInk) return;
          imgs.push(padImage());
          pad.clear();
          render();
        };
        row.append(add, ...imgs.map(thumbnail));
        return row;
      }),
    );
  };
  // A new number of classes keeps the examples of the classes that remain; an old result no longer applies.
  const setWays = () => {
    examples = Array.from({ length: Number(waysEl.value) }, (_, c) => examples[c] ?? []);
    s.result = null;
    scoresEl.replaceChildren();
    scoresEl.dataset.predicted = '';
    render();
  };

  document.getElementById('pad-clear')!.onclick = () => pad.clear();
  waysEl.onchange = setWays;
  document.getElementById('classify')!.onclick = () => {
    // Every class needs an example; with unequal counts the first K of each are used (K = the fewest).
    const shots = Math.min(...examples.map((e) => e.length));
    if (!pad.hasInk || shots < 1) {
      scoresEl.textContent = 'Add at least one example to every class, then draw a query.';
      return;
    }
    s.result = classifyDrawing(
      source.model,
      examples.flatMap((e) => e.slice(0, shots)),
      examples.length,
      shots,
      padImage(),
    );
    showScores(scoresEl, s.result, shots);
  };
  mountDownload(root, () => {
    const shots = Math.min(...examples.map((e) => e.length));
    if (shots < 1) return 'Add at least one example to every class first.';
    const support = examples.flatMap((e) => e.slice(0, shots));
    return { model: source.model, support, ways: examples.length, shots };
  });
  setWays();
  root.dataset.ready = 'true';
}
