import cliProgress from 'cli-progress';

export interface Progress {
  /** Moves the bar forward by `step` (default 1). */
  increment(step?: number): void;
  /** Sets the position. */
  update(value: number): void;
  /** Changes the total when it becomes known or grows. */
  setTotal(total: number): void;
  /** Draws the final state and releases the terminal line. */
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  label: string;
  /** Default `process.stdout`; the bar is drawn only when this is a terminal. */
  stream?: NodeJS.WriteStream;
}

const SILENT: Progress = { increment() {}, update() {}, setTotal() {}, stop() {} };

/**
 * A progress bar with an ETA for long CLI work (send, audit verify/export, eval:linkage), drawn only when
 * the output is a terminal; in pipes, files and CI it is silent, so that output stays machine-readable.
 *
 * @example
 * const progress = createProgress({ total: lines.length, label: 'sending' });
 * for (const line of lines) { await send(line); progress.increment(); }
 * progress.stop();
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stdout;
  if (!stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(options.total, 0);
  let stopped = false;
  return {
    increment: (step = 1) => bar.increment(step),
    update: (value) => bar.update(value),
    setTotal: (total) => bar.setTotal(total),
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
