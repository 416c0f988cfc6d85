import { Header, isServerError } from '@myorg/constants';
import {
  BadGatewayError,
  errorFromStatus,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
} from '@myorg/error';
import type { AttemptDeadline } from '../http/AttemptDeadline.ts';
import { transportError } from '../http/transportError.ts';

/** The part of Octokit's RequestError this mapping reads (matched by shape: the class is not exported by @octokit/rest). */
interface OctokitResponseLike {
  status: number;
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

/**
 * The platform error for a failed Octokit request, with the Octokit error as `cause`: 401, 403,
 * 404 map to their classes, a spent rate limit (a 403 with `x-ratelimit-remaining: 0`, or any
 * 403/429 with `Retry-After`) to TooManyRequestsError, GitHub's 5xx to a 502, and a request that
 * got no answer to a timeout or network error.
 */
export function githubError(
  error: unknown,
  method: string,
  route: string,
  deadline: AttemptDeadline,
): unknown {
  const response = responseOf(error);
  if (!response) return transportError(error, { service: 'GitHub', method, target: route, deadline });
  const { status, headers } = response;
  const message = `GitHub answered ${status} to ${method} ${route}: ${githubMessage(response.data, error)}`;
  const options = { cause: error, details: { method, url: route, status } };
  const retryAfter = headerValue(headers, Header.RETRY_AFTER);
  if (status === 401) return new UnauthorizedError(message, options);
  if (
    status === 429 ||
    (status === 403 && (headerValue(headers, 'x-ratelimit-remaining') === '0' || retryAfter))
  ) {
    return new TooManyRequestsError(message, { ...options, retryAfterSeconds: rateLimitWait(headers) });
  }
  if (status === 403) return new ForbiddenError(message, options);
  if (status === 404) return new NotFoundError(message, options);
  if (isServerError(status)) {
    return new BadGatewayError(message, {
      ...options,
      headers: retryAfter ? { [Header.RETRY_AFTER]: retryAfter } : {},
    });
  }
  return errorFromStatus(status, message, options);
}

function responseOf(error: unknown): OctokitResponseLike | undefined {
  if (!(error instanceof Error) || !('response' in error)) return undefined;
  const { response } = error as { response?: Partial<OctokitResponseLike> };
  return typeof response?.status === 'number' && response.headers
    ? (response as OctokitResponseLike)
    : undefined;
}

/** GitHub's error bodies are `{ message, documentation_url }`. */
function githubMessage(data: unknown, error: unknown): string {
  const message = (data as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : (error as Error).message;
}

function headerValue(headers: OctokitResponseLike['headers'], name: string): string | undefined {
  const value = headers[name];
  return value === undefined ? undefined : String(value);
}

/** Seconds until the limit lifts: `Retry-After` when sent, else until `x-ratelimit-reset` (epoch seconds). */
function rateLimitWait(headers: OctokitResponseLike['headers']): number | undefined {
  const retryAfter = headerValue(headers, Header.RETRY_AFTER);
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return Number(retryAfter);
  const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - Math.floor(Date.now() / 1000)) : undefined;
}
