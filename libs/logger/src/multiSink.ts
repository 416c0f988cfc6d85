import { safeWrite } from './safeWrite.ts';
import type { LogSink } from './types.ts';

/** A sink that writes every record to each of `sinks`; one that throws does not keep the others from it. */
export function multiSink(...sinks: LogSink[]): Required<LogSink> {
  return {
    write(record) {
      for (const sink of sinks) safeWrite(sink, record);
    },
    async flush() {
      await Promise.allSettled(sinks.map((sink) => sink.flush?.()));
    },
  };
}
