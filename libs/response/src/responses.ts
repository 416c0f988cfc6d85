import { ContentType, Header } from '@myorg/constants';
import type { HttpResponse } from './HttpResponse.ts';

/** A compact JSON response; `undefined` is sent as `null` so the body always parses. */
export function json(status: number, value: unknown, headers?: Record<string, string>): HttpResponse {
  return {
    status,
    headers: { [Header.CONTENT_TYPE]: ContentType.JSON, ...headers },
    body: JSON.stringify(value) ?? 'null',
  };
}

/** A UTF-8 plain-text response. */
export function text(status: number, body: string, headers?: Record<string, string>): HttpResponse {
  return { status, headers: { [Header.CONTENT_TYPE]: ContentType.TEXT, ...headers }, body };
}

/** A response without a body (204, 304, or a HEAD answer). */
export function empty(status: number, headers?: Record<string, string>): HttpResponse {
  return { status, headers: { ...headers } };
}

/** A redirect to `location` with no body. */
export function redirect(status: number, location: string, headers?: Record<string, string>): HttpResponse {
  return { status, headers: { ...headers, [Header.LOCATION]: location } };
}

/**
 * A streamed response. The headers are required because a stream has no implied type; pass
 * `content-length` when the size is known so the transport need not fall back to chunking.
 */
export function stream(
  status: number,
  body: AsyncIterable<Uint8Array>,
  headers: Record<string, string>,
): HttpResponse {
  return { status, headers: { ...headers }, body };
}
