import { Header } from '@myorg/constants';
import type { HttpRequest } from '@myorg/middleware';
import { parse, serialize } from 'cookie';

/** The cookie that holds a browser's token: HttpOnly, so no script of any page can read it. */
export const SESSION_COOKIE = 'registry_session';
/** The header the UI's script sends with every request; another site's page cannot send it (CORS). */
export const UI_HEADER = 'x-registry-ui';

function cookiePath(baseUrl: string): string {
  return new URL(baseUrl).pathname || '/';
}

/** `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, Secure when the registry is served over https. */
export function sessionCookie(token: string, baseUrl: string): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: baseUrl.startsWith('https:'),
    path: cookiePath(baseUrl),
  });
}

/** `Set-Cookie` that ends the session in the browser. */
export function clearedSessionCookie(baseUrl: string): string {
  return serialize(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    secure: baseUrl.startsWith('https:'),
    path: cookiePath(baseUrl),
    maxAge: 0,
  });
}

/** The session's token, if the request carries one. */
export function sessionToken(req: HttpRequest): string | undefined {
  const header = req.headers[Header.COOKIE];
  if (header === undefined) return undefined;
  const token = parse(header)[SESSION_COOKIE];
  return token === undefined || token === '' ? undefined : token;
}

/**
 * Whether a request was made by the UI's own script on the registry's own origin: it carries the UI
 * header (which needs a CORS preflight the registry never grants to another origin) and, where the
 * browser says, comes from this origin. Cookies alone never authorise a write.
 */
export function isUiRequest(req: HttpRequest, baseUrl: string): boolean {
  if (req.headers[UI_HEADER] !== '1') return false;
  const { origin } = req.headers;
  if (origin !== undefined && origin !== new URL(baseUrl).origin) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin';
}

/**
 * The `Authorization` a session cookie stands for on a route that takes it (`Route.session`): on
 * reads, any page of the registry's own; on writes, only the UI's script (`isUiRequest`).
 */
export function sessionAuthorization(req: HttpRequest, baseUrl: string): string | undefined {
  const token = sessionToken(req);
  if (token === undefined) return undefined;
  const read = req.method === 'GET' || req.method === 'HEAD';
  return read || isUiRequest(req, baseUrl) ? `Bearer ${token}` : undefined;
}
