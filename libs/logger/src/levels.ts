import type { LogLevel } from './types.ts';

const weights: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: Infinity };

/** True for one of the level names `LogLevel` allows. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(weights, value);
}

/** Whether a record of `level` passes a logger set to `threshold`; nothing is ever written at `silent`. */
export function passesThreshold(level: LogLevel, threshold: LogLevel): boolean {
  return level !== 'silent' && weights[level] >= weights[threshold];
}
