import { lazyModule } from './lazy-module.js';

const cliProgress = lazyModule<typeof import('cli-progress')>('cli-progress');

export interface Progress {
  update(step: number, loss: number): void;
  stop(): void;
}

/** A progress bar on a terminal; elsewhere (CI, pipes) a plain line every few seconds. */
export function createProgress(
  total: number,
  first: number,
  out: NodeJS.WriteStream = process.stderr,
): Progress {
  const t0 = performance.now();
  const rate = (step: number) =>
    ((step - first) / Math.max(1e-3, (performance.now() - t0) / 1000)).toFixed(1);
  if (out.isTTY) {
    const bar = new (cliProgress().SingleBar)(
      {
        format: 'train [{bar}] {value}/{total} | loss {loss} | {rate} steps/s | eta {eta_formatted}',
        stream: out,
        hideCursor: true,
      },
      cliProgress().Presets.shades_classic,
    );
    bar.start(total, first, { loss: '-', rate: '0' });
    return {
      update: (step, loss) => bar.update(step, { loss: loss.toFixed(4), rate: rate(step) }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(step, loss) {
      const now = performance.now();
      if (now - last < 5000 && step !== total) return;
      last = now;
      out.write(`step ${step}/${total} loss ${loss.toFixed(4)} ${rate(step)} steps/s\n`);
    },
    stop() {},
  };
}
