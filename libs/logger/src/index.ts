export { createLogger, type LoggerOptions } from './createLogger.ts';
export { isLogLevel } from './levels.ts';
export { type MemorySink, memorySink } from './memorySink.ts';
export { multiSink } from './multiSink.ts';
export { noopLogger } from './noopLogger.ts';
export { defaultRedactKeys, REDACTED, redactText } from './redact.ts';
export { type StreamSink, type StreamSinkOptions, streamSink } from './streamSink.ts';
export type { LogFields, Logger, LogLevel, LogRecord, LogSink } from './types.ts';
