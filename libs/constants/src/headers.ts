/** Header names in their lower-case wire form (Node and Lambda both hand them over lower-cased). */
export const Header = {
  ACCEPT: 'accept',
  ACCEPT_ENCODING: 'accept-encoding',
  AUTHORIZATION: 'authorization',
  CACHE_CONTROL: 'cache-control',
  CONTENT_ENCODING: 'content-encoding',
  CONTENT_LENGTH: 'content-length',
  CONTENT_TYPE: 'content-type',
  ETAG: 'etag',
  HOST: 'host',
  IF_MATCH: 'if-match',
  IF_NONE_MATCH: 'if-none-match',
  LAST_MODIFIED: 'last-modified',
  LOCATION: 'location',
  RETRY_AFTER: 'retry-after',
  VARY: 'vary',
  WARNING: 'warning',
  WWW_AUTHENTICATE: 'www-authenticate',
  X_FORWARDED_HOST: 'x-forwarded-host',
  X_FORWARDED_PREFIX: 'x-forwarded-prefix',
  X_FORWARDED_PROTO: 'x-forwarded-proto',
  X_REQUEST_ID: 'x-request-id',
  /** Sent by the npm CLI with every request: `npm/<v> node/<v> <platform> <arch> workspaces/<bool>`. */
  NPM_COMMAND: 'npm-command',
  NPM_SESSION: 'npm-session',
  NPM_OTP: 'npm-otp',
} as const;

export type HeaderName = (typeof Header)[keyof typeof Header];
