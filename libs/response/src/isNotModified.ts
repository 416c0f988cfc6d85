import { Header } from '@myorg/constants';
import type { RequestHeaders } from './HttpResponse.ts';

/**
 * Whether a GET or HEAD may be answered with 304 (RFC 9110 §13.2.2). `If-None-Match` wins when
 * present, compared weakly (`W/"x"` matches `"x"`), with `*` matching any current representation;
 * only without it is `If-Modified-Since` checked against `lastModified`, to whole seconds.
 */
export function isNotModified(
  requestHeaders: RequestHeaders,
  etag: string | undefined,
  lastModified?: Date | string,
): boolean {
  const ifNoneMatch = requestHeaders[Header.IF_NONE_MATCH];
  if (ifNoneMatch !== undefined) return matchesAny(ifNoneMatch, etag);
  const ifModifiedSince = requestHeaders['if-modified-since'];
  if (ifModifiedSince === undefined || lastModified === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = typeof lastModified === 'string' ? Date.parse(lastModified) : lastModified.getTime();
  if (Number.isNaN(since) || Number.isNaN(modified)) return false;
  return Math.floor(modified / 1000) <= Math.floor(since / 1000);
}

function opaqueTag(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** Scans the list by hand: entity tags may legally contain commas, so splitting on them is wrong. */
function matchesAny(header: string, etag: string | undefined): boolean {
  if (etag !== undefined && header === etag) return true;
  const target = etag === undefined ? undefined : opaqueTag(etag);
  const length = header.length;
  let index = 0;
  while (index < length) {
    const char = header[index];
    if (char === ' ' || char === '\t' || char === ',') {
      index++;
      continue;
    }
    if (char === '*') return true;
    const start = header.startsWith('W/', index) ? index + 2 : index;
    if (header[start] !== '"') {
      // Not an entity tag: skip the malformed member rather than reject the whole list.
      const comma = header.indexOf(',', start);
      index = comma === -1 ? length : comma;
      continue;
    }
    const close = header.indexOf('"', start + 1);
    const end = close === -1 ? length : close + 1;
    if (header.slice(start, end) === target) return true;
    index = end;
  }
  return false;
}
