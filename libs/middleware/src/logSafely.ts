import type { Logger } from '@myorg/logger';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Logs without ever letting a failing logger break the request it is reporting on. */
export function logSafely(
  logger: Logger,
  level: Level,
  message: string,
  fields: Record<string, unknown>,
): void {
  try {
    logger[level](message, fields);
  } catch {
    // A broken sink must not turn a served request into a failed one.
  }
}
