/** A parsed `Authorization` header. */
export type Credentials =
  | { scheme: 'bearer'; token: string }
  | { scheme: 'basic'; username: string; password: string };

/**
 * Reads a Bearer token or Basic credentials from an `Authorization` header; anything else (another
 * scheme, malformed Basic) is undefined.
 */
export function parseAuthorization(header: string | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (value === '') return undefined;
  if (scheme === 'bearer') return { scheme, token: value };
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // The user name cannot contain a colon; the password may.
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { scheme, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
