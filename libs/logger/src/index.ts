export { createLogger } from './createLogger.ts';
export { isLogLevel } from './levels.ts';
export { type MemorySink, memorySink } from './memorySink.ts';
export { noopLogger } from './noopLogger.ts';
export type { Logger, LogRecord } from './types.ts';
