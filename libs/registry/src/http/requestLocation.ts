import { Header } from '@myorg/constants';
import { BadRequestError } from '@myorg/error';
import type { RequestHeaders } from '@myorg/response';

// Host names, IPv4 and bracketed IPv6 addresses, with an optional port: nothing that could break
// out of a URL (no "/", "@", "?", "#" or spaces).
const hostPattern = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const prefixPattern = /^(?:\/[A-Za-z0-9._~!$&'()*+,;=:@-]+)*$/;

/** Where a request reached the registry. */
export interface RequestLocation {
  /** The public base URL, without a trailing slash: tarball URLs are built from it. */
  baseUrl: string;
  /** The path the registry is mounted under (`/npm`), or `''`. */
  prefix: string;
}

/**
 * The public location of the registry for one request. Behind a reverse proxy,
 * `X-Forwarded-Proto`, `-Host` and `-Prefix` win over the connection's own values (first value of
 * each list), so the registry may be mounted under a path. Values that could not be part of a URL
 * are refused with 400.
 */
export function requestLocation(headers: RequestHeaders, defaultProtocol = 'http'): RequestLocation {
  const protocol = firstValue(headers[Header.X_FORWARDED_PROTO])?.toLowerCase() ?? defaultProtocol;
  if (protocol !== 'http' && protocol !== 'https') {
    throw new BadRequestError(`unsupported X-Forwarded-Proto ${JSON.stringify(protocol)}`);
  }
  const host = firstValue(headers[Header.X_FORWARDED_HOST]) ?? headers[Header.HOST];
  if (host === undefined || !hostPattern.test(host)) {
    throw new BadRequestError(`missing or invalid Host header ${JSON.stringify(host ?? '')}`);
  }
  const forwardedPrefix = firstValue(headers[Header.X_FORWARDED_PREFIX]);
  // Most requests come without one: no regular expressions for them.
  const prefix = forwardedPrefix === undefined ? '' : normalisePrefix(forwardedPrefix);
  return { baseUrl: `${protocol}://${host}${prefix}`, prefix };
}

/** `/npm/`, `npm` and `/npm` all become `/npm`; the empty prefix stays empty. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  const normalised = trimmed === '' ? '' : `/${trimmed}`;
  if (!prefixPattern.test(normalised)) {
    throw new BadRequestError(`invalid path prefix ${JSON.stringify(prefix)}`);
  }
  return normalised;
}

function firstValue(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const comma = header.indexOf(',');
  const value = (comma === -1 ? header : header.slice(0, comma)).trim();
  return value === '' ? undefined : value;
}

/**
 * The public URL of `path`, a route path below the mount point (with its query, if any): the one
 * join of the base URL and a path, so the mount point appears exactly once in every link and redirect.
 */
export function publicHref(baseUrl: string, path: string): string {
  return `${baseUrl}${path}`;
}
