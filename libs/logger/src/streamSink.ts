import type { LogRecord, LogSink } from './types.ts';

export interface StreamSinkOptions {
  /** Lines kept while the stream catches up; any more are dropped and counted. Default 10 000. */
  maxQueuedLines?: number;
}

export interface StreamSink extends Required<LogSink> {
  /** Lines dropped so far because the stream could not keep up or had failed. */
  readonly dropped: number;
}

/**
 * A sink that writes one JSON line per record to a stream (stdout by default, which is what
 * CloudWatch and container runtimes collect). It never waits: when the stream signals
 * backpressure, lines queue up to a bound, and beyond it are dropped and counted; once the stream
 * drains, the queue goes out followed by a `warn` line that says how many were lost. A stream
 * error (EPIPE when the reader is gone) stops the sink instead of crashing the process.
 */
export function streamSink(
  stream: NodeJS.WritableStream = process.stdout,
  options: StreamSinkOptions = {},
): StreamSink {
  const maxQueuedLines = options.maxQueuedLines ?? 10_000;
  const queue: string[] = [];
  const idleWaiters: Array<() => void> = [];
  let waitingForDrain = false;
  let failed = false;
  let droppedSinceReport = 0;
  let droppedTotal = 0;

  const drop = (lines = 1) => {
    droppedSinceReport += lines;
    droppedTotal += lines;
  };

  const settle = () => {
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const fail = () => {
    failed = true;
    drop(queue.length);
    queue.length = 0;
    waitingForDrain = false;
    settle();
  };

  /** Writes one line; false when the stream wants us to wait for `drain` (the line is taken either way). */
  const send = (line: string): boolean => {
    try {
      return stream.write(line);
    } catch {
      fail();
      return true;
    }
  };

  const waitForDrain = () => {
    waitingForDrain = true;
    stream.once('drain', onDrain);
  };

  function onDrain() {
    waitingForDrain = false;
    while (queue.length > 0 && !failed) {
      if (!send(queue.shift()!)) {
        waitForDrain();
        return;
      }
    }
    if (droppedSinceReport > 0 && !failed) {
      const report: LogRecord = {
        level: 'warn',
        time: new Date().toISOString(),
        msg: 'log lines dropped: the output stream could not keep up',
        dropped: droppedSinceReport,
      };
      droppedSinceReport = 0;
      if (!send(toLine(report))) {
        waitForDrain();
        return;
      }
    }
    settle();
  }

  stream.on('error', fail);

  return {
    get dropped() {
      return droppedTotal;
    },
    write(record) {
      if (failed) {
        drop();
        return;
      }
      const line = toLine(record);
      if (waitingForDrain) {
        if (queue.length < maxQueuedLines) queue.push(line);
        else drop();
        return;
      }
      if (!send(line)) waitForDrain();
    },
    async flush() {
      if (waitingForDrain) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      if (failed) return;
      // An empty write calls back once every earlier chunk has left the stream's buffer.
      await new Promise<void>((resolve) => {
        try {
          stream.write('', () => resolve());
        } catch {
          resolve();
        }
      });
    },
  };
}

/** One JSON line; a record that cannot be serialised still leaves a trace of itself. */
function toLine(record: LogRecord): string {
  try {
    return `${JSON.stringify(record)}\n`;
  } catch (error) {
    const { level, time, msg } = record;
    return `${JSON.stringify({ level, time, msg: String(msg), logError: `record could not be serialised: ${String(error)}` })}\n`;
  }
}
