/** Training stopped on SIGINT or SIGTERM after saving a checkpoint; the process exits 128 + the signal number. */
export class Interrupted extends Error {
  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM',
    readonly checkpoint: string,
  ) {
    super(
      `stopped by ${signal}: ${checkpoint ? `saved ${checkpoint}; continue with --resume` : 'no checkpoint was saved'}`,
    );
  }

  get exitCode(): number {
    return this.signal === 'SIGINT' ? 130 : 143;
  }
}

/**
 * Asks a loop to stop at its next safe point on the first SIGINT or SIGTERM; a second signal runs
 * `now` (which should restore the terminal) and exits at once: every file is written through a
 * rename, so nothing on disk is left half-written.
 */
export function stopOnSignals(now: () => void): {
  readonly requested: 'SIGINT' | 'SIGTERM' | undefined;
  dispose(): void;
} {
  let requested: 'SIGINT' | 'SIGTERM' | undefined;
  const on = (signal: 'SIGINT' | 'SIGTERM') => () => {
    if (requested) {
      now();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    requested = signal;
    process.stderr.write(
      `\n${signal}: stopping after this step with a checkpoint (send it again to stop at once)\n`,
    );
  };
  const handlers = { SIGINT: on('SIGINT'), SIGTERM: on('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  return {
    get requested() {
      return requested;
    },
    dispose() {
      process.off('SIGINT', handlers.SIGINT);
      process.off('SIGTERM', handlers.SIGTERM);
    },
  };
}
