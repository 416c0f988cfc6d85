export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, unknown>;

export interface Logger {
  /** The lowest level this logger writes; `silent` writes nothing. */
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `context` to every record, on top of this logger's own context. */
  child(context: LogFields): Logger;
  /** Whether a record of `level` would be written: lets callers skip building costly fields. */
  isLevelEnabled(level: LogLevel): boolean;
}

/** One log line as handed to sinks: already redacted and safe to pass to `JSON.stringify`. */
export interface LogRecord {
  level: Exclude<LogLevel, 'silent'>;
  /** ISO 8601 time the record was made. */
  time: string;
  msg: string;
  [key: string]: unknown;
}

export interface LogSink {
  /** Takes one record. Must not block; the logger swallows anything it throws. */
  write(record: LogRecord): void;
  /** Resolves once everything written so far has been handed on (call before a Lambda returns). */
  flush?(): Promise<void>;
}
