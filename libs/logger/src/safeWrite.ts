import type { LogRecord, LogSink } from './types.ts';

const reportedSinks = new WeakSet<LogSink>();

/**
 * Hands a record to a sink without ever throwing: logging must not turn a served request into
 * a failed one. The first failure of each sink is reported once as a process warning (stderr).
 */
export function safeWrite(sink: LogSink, record: LogRecord): void {
  try {
    sink.write(record);
  } catch (error) {
    if (reportedSinks.has(sink)) return;
    reportedSinks.add(sink);
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(`a log sink failed and its records are lost: ${reason}`, { code: 'LOG_SINK_FAILED' });
  }
}
