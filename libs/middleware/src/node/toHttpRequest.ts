import type { IncomingMessage } from 'node:http';
import type { HttpRequest } from '../HttpRequest.ts';

/**
 * The transport-free view of a Node request, copying nothing: Node already hands over lower-case
 * header names with repeats joined, and the IncomingMessage is itself the async-iterable body.
 */
export function toHttpRequest(req: IncomingMessage, trustProxy: boolean): HttpRequest {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const headers = req.headers as Record<string, string | undefined>;
  return {
    method: req.method ?? 'GET',
    url,
    path: queryStart === -1 ? url : url.slice(0, queryStart),
    query: new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1)),
    headers,
    // HTTP/1.1 requests without either header have no body (RFC 9112 §6.3).
    body:
      headers['transfer-encoding'] !== undefined ||
      (headers['content-length'] !== undefined && headers['content-length'] !== '0')
        ? req
        : undefined,
    remoteAddress: (trustProxy && forwardedClient(headers['x-forwarded-for'])) || req.socket.remoteAddress,
  };
}

/** The client a trusted proxy chain reports: the first address of `X-Forwarded-For`. */
function forwardedClient(forwardedFor: string | undefined): string | undefined {
  if (forwardedFor === undefined) return undefined;
  const comma = forwardedFor.indexOf(',');
  return (comma === -1 ? forwardedFor : forwardedFor.slice(0, comma)).trim() || undefined;
}
