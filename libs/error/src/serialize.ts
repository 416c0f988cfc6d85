import { AppError } from './AppError.ts';
import { InternalError } from './httpErrors.ts';

/** True when `value` is an AppError (also across copies of this package in one process). */
export function isAppError(value: unknown): value is AppError {
  return (
    value instanceof AppError ||
    (value instanceof Error &&
      typeof (value as Partial<AppError>).status === 'number' &&
      typeof (value as Partial<AppError>).code === 'string' &&
      typeof (value as Partial<AppError>).expose === 'boolean')
  );
}

/** Any thrown value as an AppError: AppErrors pass through, anything else becomes a 500 that keeps it as `cause`. */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  return new InternalError('internal server error', { cause: value });
}

/** The body a client sees: npm prints `error`. */
export interface ClientErrorBody {
  error: string;
  code: string;
  [key: string]: unknown;
}

/**
 * What may be sent to a client for any thrown value: the message only when the error says it is
 * safe, never a stack or a cause, and for hidden errors a generic text.
 */
export function toClientBody(value: unknown): ClientErrorBody {
  const error = toAppError(value);
  if (!error.expose) return { error: 'internal server error', code: error.code };
  return { ...(error.details ?? {}), error: error.message, code: error.code };
}

/** A log-friendly plain object: name, message, status, code, stack and the chain of causes. */
export function serializeError(value: unknown, depth = 0): Record<string, unknown> {
  if (!(value instanceof Error)) return { message: String(value) };
  const out: Record<string, unknown> = { name: value.name, message: value.message, stack: value.stack };
  if (isAppError(value)) {
    out.status = value.status;
    out.code = value.code;
    if (value.details) out.details = value.details;
  } else if (typeof (value as NodeJS.ErrnoException).code === 'string') {
    out.code = (value as NodeJS.ErrnoException).code;
  }
  if (value.cause !== undefined && depth < 5) out.cause = serializeError(value.cause, depth + 1);
  return out;
}
