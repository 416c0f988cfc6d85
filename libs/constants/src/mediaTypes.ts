/** Content types the platform reads and writes. */
export const ContentType = {
  JSON: 'application/json',
  JSON_UTF8: 'application/json; charset=utf-8',
  OCTET_STREAM: 'application/octet-stream',
  TEXT: 'text/plain; charset=utf-8',
  HTML: 'text/html; charset=utf-8',
  CSS: 'text/css; charset=utf-8',
  JAVASCRIPT: 'text/javascript; charset=utf-8',
  FORM: 'application/x-www-form-urlencoded',
} as const;

/**
 * npm's packument media types. npm asks for the abbreviated ("corgi") document with
 * `Accept: application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, *\/*`.
 */
export const NpmMediaType = {
  /** The abbreviated packument: only what an install needs. */
  ABBREVIATED: 'application/vnd.npm.install-v1+json',
  /** The full packument (a plain JSON document). */
  FULL: 'application/json',
} as const;

/** Content encodings the registry negotiates, best first. */
export const ContentEncoding = {
  BROTLI: 'br',
  GZIP: 'gzip',
  IDENTITY: 'identity',
} as const;

export type ContentEncodingName = (typeof ContentEncoding)[keyof typeof ContentEncoding];
