import { Header } from '@myorg/constants';
import { type AppError, GatewayTimeoutError, isAppError, ServiceUnavailableError } from '@myorg/error';
import { RegistryError } from '@myorg/services';
import { UpstreamMessages } from './messages.ts';

/** Codes the proxy gives its own upstream failures. */
export const UpstreamErrorCode = {
  /** The upstream is marked down after repeated failures: no request was made. */
  DOWN: 'EUPSTREAMDOWN',
  /** Every upstream connection stayed busy for the whole timeout. */
  BUSY: 'EUPSTREAMBUSY',
  TIMEOUT: 'ETIMEDOUT',
  /** The upstream sent tarball bytes that do not match the integrity it published. */
  INTEGRITY: 'EINTEGRITY',
  /** The upstream publishes no checksum for a tarball, so it cannot be verified. */
  NO_CHECKSUM: 'ENOINTEGRITY',
} as const;

/**
 * Whether `error` says the upstream cannot serve right now (unreachable, too slow, 5xx, 429,
 * unreadable answers, marked down), as opposed to a definite answer such as 401 or a bad
 * tarball. Only such failures count towards marking the upstream down.
 */
export function isUnavailability(error: unknown): boolean {
  if (!isAppError(error)) return false;
  if (error instanceof RegistryError) return error.status >= 500 || error.status === 429;
  if (error.code === UpstreamErrorCode.INTEGRITY || error.code === UpstreamErrorCode.NO_CHECKSUM)
    return false;
  return error.status === 502 || error.status === 503 || error.status === 504;
}

/** Whether `error` is the upstream running out of time (504) rather than failing outright (503). */
function isTimeout(error: unknown): boolean {
  return isAppError(error) && (error.status === 504 || error.code === UpstreamErrorCode.BUSY);
}

/**
 * A short account of an upstream failure for messages and logs: `ECONNREFUSED`, `HTTP 500`; for
 * an error made by `unavailableError`, the account it was made with.
 */
export function failureReason(error: unknown): string {
  if (error instanceof RegistryError) return `HTTP ${error.status}`;
  if (!isAppError(error)) return 'unexpected error';
  if (typeof error.details?.reason === 'string') return error.details.reason;
  if (error.code === UpstreamErrorCode.DOWN || error.code === UpstreamErrorCode.BUSY) return error.message;
  return error.code;
}

/**
 * The error a client gets when the upstream failed with `error` and `consequence` follows (see
 * UpstreamMessages.notCached): 504 when it was too slow, 503 otherwise, with `Retry-After` when
 * the upstream is marked down.
 */
export function unavailableError(consequence: string, error: unknown): AppError {
  const reason = failureReason(error);
  const headers: Record<string, string> = {};
  const retryAfter = isAppError(error) ? error.headers[Header.RETRY_AFTER] : undefined;
  if (retryAfter !== undefined) headers[Header.RETRY_AFTER] = retryAfter;
  const options = {
    cause: error,
    headers,
    code: isAppError(error) ? error.code : undefined,
    details: { reason },
  };
  return isTimeout(error)
    ? new GatewayTimeoutError(UpstreamMessages.timedOut(consequence, reason), options)
    : new ServiceUnavailableError(UpstreamMessages.unavailable(consequence, reason), options);
}
