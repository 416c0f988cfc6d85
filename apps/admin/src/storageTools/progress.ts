import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import { type CliIo, writeLine } from '../cli/CliIo.ts';

/** Counts of a running command: done of total (total grows while a listing goes on), and the rate. */
export interface Progress {
  /** More items to do (as a listing finds them). */
  add(count: number): void;
  /** One item (or `count`) done. */
  done(count?: number): void;
  /** Stops the display; the summary follows. */
  stop(): Promise<void>;
}

const TTY_REFRESH_MS = 100;
/** How often a plain line is printed where nothing animates (CI logs, pipes). */
export const PLAIN_INTERVAL_MS = 5_000;
const BAR_WIDTH = 24;

function line(title: string, done: number, total: number, startedAt: number, bar: boolean): string {
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  const rate = `${(done / seconds).toFixed(1)}/s`;
  if (!bar) return `${title}: ${done}/${total} (${rate})`;
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${rate}`;
}

/**
 * A progress display on stderr: on a terminal a listr2 task with a bar, counts and rate, redrawn
 * as they change; elsewhere a plain line every `intervalMs`, so logs show it is alive.
 */
export function startProgress(io: CliIo, title: string, intervalMs = PLAIN_INTERVAL_MS): Progress {
  let done = 0;
  let total = 0;
  const startedAt = Date.now();
  const counts = {
    add: (count: number) => {
      total += count;
    },
    done: (count = 1) => {
      done += count;
    },
  };
  if (!io.isTTY) {
    const timer = setInterval(
      () => writeLine(io.stderr, line(title, done, total, startedAt, false)),
      intervalMs,
    );
    timer.unref();
    return {
      ...counts,
      async stop() {
        clearInterval(timer);
        writeLine(io.stderr, line(title, done, total, startedAt, false));
      },
    };
  }
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const output = new ProcessOutput(io.stderr as NodeJS.WriteStream, io.stderr as NodeJS.WriteStream);
  const logger = new ListrLogger({ processOutput: output });
  const list = new Listr(
    [
      {
        title,
        task: async (_: unknown, task: { output: string; title: string }) => {
          const timer = setInterval(() => {
            task.output = line(title, done, total, startedAt, true);
          }, TTY_REFRESH_MS);
          await finished;
          clearInterval(timer);
          task.title = `${title}: ${line(title, done, total, startedAt, true)}`;
        },
      },
    ],
    {
      registerSignalListeners: false,
      renderer: 'default',
      rendererOptions: { logger },
      fallbackRenderer: 'simple',
      fallbackRendererOptions: { logger },
      fallbackRendererCondition: false,
    },
  );
  const running = list.run();
  return {
    ...counts,
    async stop() {
      finish();
      await running;
    },
  };
}
