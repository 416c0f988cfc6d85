import { ContentEncoding, Header, HttpStatus } from '@myorg/constants';
import type { HttpResponse, RequestHeaders } from './HttpResponse.ts';
import { isNotModified } from './isNotModified.ts';
import { negotiateEncoding } from './negotiateEncoding.ts';
import type { PreparedBody } from './prepareBody.ts';

export interface SendPreparedOptions {
  /** The request method; HEAD gets the headers without the body. Defaults to GET. */
  method?: string;
  /** Defaults to 200. Only a 200 is ever turned into a 304. */
  status?: number;
  /** Extra headers (`cache-control`, `last-modified`, a `vary` on Accept). Content headers come from the body. */
  headers?: Record<string, string>;
}

/**
 * Answers a request with a prepared body: 304 when the client's ETag still matches, otherwise the
 * best encoding the client accepts, with `etag`, `vary`, `content-encoding` and `content-length`.
 */
export function sendPrepared(
  prepared: PreparedBody,
  requestHeaders: RequestHeaders,
  options: SendPreparedOptions = {},
): HttpResponse {
  const { method = 'GET', status = HttpStatus.OK, headers } = options;
  const out: Record<string, string> = { ...headers, [Header.ETAG]: prepared.etag };
  if (prepared.compressible) out[Header.VARY] = withAcceptEncoding(headers?.[Header.VARY]);
  const readOnly = method === 'GET' || method === 'HEAD';
  if (readOnly && status === HttpStatus.OK && isNotModified(requestHeaders, prepared.etag)) {
    return { status: HttpStatus.NOT_MODIFIED, headers: out };
  }
  const encoding = prepared.compressible
    ? negotiateEncoding(requestHeaders[Header.ACCEPT_ENCODING])
    : ContentEncoding.IDENTITY;
  const body = prepared.encoded(encoding);
  out[Header.CONTENT_TYPE] = prepared.contentType;
  out[Header.CONTENT_LENGTH] = String(body.byteLength);
  if (body !== prepared.bytes) out[Header.CONTENT_ENCODING] = encoding;
  return { status, headers: out, body: method === 'HEAD' ? undefined : body };
}

function withAcceptEncoding(vary: string | undefined): string {
  if (vary === undefined || vary === '') return Header.ACCEPT_ENCODING;
  return vary === '*' || /\baccept-encoding\b/i.test(vary) ? vary : `${vary}, ${Header.ACCEPT_ENCODING}`;
}
