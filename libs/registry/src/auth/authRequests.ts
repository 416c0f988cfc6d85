import { Header } from '@myorg/constants';
import { BadRequestError, NotFoundError, UnauthorizedError } from '@myorg/error';
import { type HttpRequest, readJson } from '@myorg/middleware';
import { isPlainObject } from '@myorg/utilities';
import { type EventFields, recordEvent } from '../events/RegistryEvents.ts';
import type { RegistryContext } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { parseAuthorization } from './authorizationHeader.ts';
import { AuthMessages } from './messages.ts';

/** Auth bodies are a few hundred bytes; refusing more early keeps them from costing memory. */
const MAX_AUTH_BODY_BYTES = 64 * 1024;

/** Responses that carry a token or account data must not be kept by caches along the way. */
export const NO_STORE = { [Header.CACHE_CONTROL]: 'no-store' } as const;

const COUCH_USER_PREFIX = 'org.couchdb.user:';

/** The JSON object body of an auth request (400 for anything else). */
export async function readAuthBody(req: HttpRequest): Promise<Record<string, unknown>> {
  const body = await readJson(req, MAX_AUTH_BODY_BYTES);
  if (!isPlainObject(body)) throw new BadRequestError(Messages.bodyMustBeObject);
  return body;
}

/**
 * Logs an account event (login, token created or revoked) with the request it came from, and
 * records `event` in the audit trail.
 */
export function audit(
  ctx: RegistryContext,
  message: string,
  fields: Record<string, unknown>,
  event?: EventFields,
): void {
  ctx.logger.info(message, { requestId: ctx.requestId, ...fields });
  if (event !== undefined) recordEvent(ctx, event);
}

/** A token as the audit trail names it: its key (a hash, as `npm token list` shows it), never the token. */
export function tokenDetail(record: { key: string; readOnly: boolean }): string {
  return `token ${record.key}${record.readOnly ? ' (read-only)' : ''}`;
}

/** The user name in a CouchDB-style user id (`org.couchdb.user:alice`), as npm puts it in the path. */
export function userNameFromCouchId(id: string | undefined): string {
  if (id === undefined || !id.startsWith(COUCH_USER_PREFIX))
    throw new NotFoundError(AuthMessages.notAUserDocument);
  return id.slice(COUCH_USER_PREFIX.length);
}

export function couchIdOf(name: string): string {
  return COUCH_USER_PREFIX + name;
}

/**
 * The password of a login (`PUT /-/user/org.couchdb.user:<name>`): Basic credentials when npm sent
 * them (npm-profile's retry after a 409), else the body's. `name` is compared without regard to case.
 */
export function credentialPassword(req: HttpRequest, name: string, body: Record<string, unknown>): string {
  const credentials = parseAuthorization(req.headers.authorization);
  if (credentials?.scheme === 'basic') {
    if (credentials.username.toLowerCase() !== name.toLowerCase()) {
      throw new UnauthorizedError(AuthMessages.basicUserMismatch);
    }
    return credentials.password;
  }
  if (typeof body.password !== 'string' || body.password === '') {
    throw new BadRequestError(AuthMessages.passwordRequired);
  }
  return body.password;
}
