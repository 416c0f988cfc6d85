import type { Logger } from './types.ts';

const ignore = () => {};

/** A logger that writes nothing: the default for code that takes an optional logger. */
export const noopLogger: Logger = Object.freeze({
  level: 'silent',
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => noopLogger,
  isLevelEnabled: () => false,
});
