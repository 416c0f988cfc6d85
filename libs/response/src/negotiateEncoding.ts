import { ContentEncoding, type ContentEncodingName } from '@myorg/constants';

// Clients send few distinct Accept-Encoding values, so answers are remembered; the bound keeps a
// client that varies the header from growing the map without limit.
const MAX_CACHED = 256;
const cache = new Map<string, ContentEncodingName>();

/**
 * The content coding to answer with: the acceptable one with the highest q-value among br and gzip,
 * br on a tie, or identity when neither is acceptable (or identity is explicitly preferred). A
 * missing header yields identity.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentEncodingName {
  if (acceptEncoding === undefined) return ContentEncoding.IDENTITY;
  let answer = cache.get(acceptEncoding);
  if (answer === undefined) {
    answer = parse(acceptEncoding);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(acceptEncoding, answer);
  }
  return answer;
}

function parse(header: string): ContentEncodingName {
  // undefined: the coding was not named.
  let brotli: number | undefined;
  let gzip: number | undefined;
  let identity: number | undefined;
  let wildcard: number | undefined;
  for (const member of header.split(',')) {
    const semicolon = member.indexOf(';');
    const coding = (semicolon === -1 ? member : member.slice(0, semicolon)).trim().toLowerCase();
    const q = semicolon === -1 ? 1 : qValue(member.slice(semicolon + 1));
    if (coding === 'br') brotli = q;
    else if (coding === 'gzip' || coding === 'x-gzip') gzip = q;
    else if (coding === 'identity') identity = q;
    else if (coding === '*') wildcard = q;
  }
  const qBrotli = brotli ?? wildcard ?? 0;
  const qGzip = gzip ?? wildcard ?? 0;
  const best = Math.max(qBrotli, qGzip);
  if (best === 0 || (identity !== undefined && identity > best)) return ContentEncoding.IDENTITY;
  return qBrotli >= qGzip ? ContentEncoding.BROTLI : ContentEncoding.GZIP;
}

/** The q parameter of `;q=0.5;x=y`; an invalid q makes the coding unacceptable rather than preferred. */
function qValue(parameters: string): number {
  for (const parameter of parameters.split(';')) {
    const trimmed = parameter.trim();
    if (trimmed[0] !== 'q' && trimmed[0] !== 'Q') continue;
    if (trimmed[1] !== '=') continue;
    const q = Number(trimmed.slice(2));
    return q >= 0 && q <= 1 ? q : 0;
  }
  return 1;
}
