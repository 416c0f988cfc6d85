import type { LogRecord, LogSink } from './types.ts';

export interface MemorySink extends LogSink {
  /** Every record written, oldest first, as it would read back from a JSON line. */
  readonly records: LogRecord[];
  /** Forgets the records written so far. */
  clear(): void;
}

/** A sink that keeps records in memory, for tests. */
export function memorySink(): MemorySink {
  const records: LogRecord[] = [];
  return {
    records,
    write(record) {
      // A JSON round trip, so tests see exactly what a stream sink would print.
      records.push(JSON.parse(JSON.stringify(record)) as LogRecord);
    },
    clear() {
      records.length = 0;
    },
  };
}
