import { BadRequestError, ForbiddenError } from '@myorg/error';
import { json } from '@myorg/response';
import type { RouteHandler } from '../../../http/types.ts';
import { audit, NO_STORE, readAuthBody, tokenDetail } from '../../authRequests.ts';
import { AuthMessages } from '../../messages.ts';
import type { Principal } from '../../Principal.ts';
import { requirePrincipal } from '../../requirePrincipal.ts';
import { cidrListProblems } from '../cidrList.ts';
import { DAY_MS, issueToken, type TokenRequest } from '../issueToken.ts';
import type { TokenDependencies } from '../TokenDependencies.ts';
import { tokenView } from './tokenView.ts';

const MAX_TEXT_LENGTH = 256;

/**
 * Checks the password `npm token create` always asks for, in the provider's terms (a local user's
 * password, a GitHub token of the same user): resolves, or throws 401.
 */
export type ConfirmIdentity = (principal: Principal, password: string) => Promise<void>;

/**
 * `POST /-/npm/v1/tokens` (`npm token create`): the password is checked again, and the new token is
 * in this answer only. npm 11 asks for a read-only token with `packages_and_scopes_permission`,
 * older clients with `readonly`; both are honoured. Tokens limited to packages, scopes or orgs are
 * refused rather than silently widened.
 */
export function createTokenHandler(deps: TokenDependencies, confirm: ConfirmIdentity): RouteHandler {
  return async (req, ctx) => {
    const principal = requirePrincipal(ctx);
    if (principal.readOnly) throw new ForbiddenError(AuthMessages.readOnlyCannotManageTokens);
    const body = await readAuthBody(req);
    if (typeof body.password !== 'string' || body.password === '') {
      throw new BadRequestError(AuthMessages.passwordRequired);
    }
    const request = tokenRequest(principal.name, body, req.remoteAddress !== undefined);
    await confirm(principal, body.password);
    const { token, record } = await issueToken(deps, request);
    audit(
      ctx,
      'token created',
      { user: record.user, tokenKey: record.key, readOnly: record.readOnly },
      { action: 'token-create', outcome: 'ok', actor: record.user, detail: tokenDetail(record) },
    );
    return json(201, { ...tokenView(record), token }, NO_STORE);
  };
}

function tokenRequest(user: string, body: Record<string, unknown>, addressKnown: boolean): TokenRequest {
  for (const field of ['packages', 'scopes', 'orgs']) {
    const value = body[field];
    if (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null) {
      throw new BadRequestError(AuthMessages.scopedTokensUnsupported);
    }
  }
  const request: TokenRequest = {
    user,
    name: optionalText(body, 'name') ?? 'npm token',
    readOnly: readOnlyOf(body),
    cidrWhitelist: cidrWhitelistOf(body, addressKnown),
  };
  const description = optionalText(body, 'description');
  if (description !== undefined) request.description = description;
  const expires = body.expires;
  if (expires !== undefined && expires !== null) {
    if (!Number.isInteger(expires) || (expires as number) < 1) {
      throw new BadRequestError(
        AuthMessages.invalidTokenField('expires', 'a whole number of days, 1 or more'),
      );
    }
    request.lifeMs = (expires as number) * DAY_MS;
  }
  return request;
}

function readOnlyOf(body: Record<string, unknown>): boolean {
  const { readonly, packages_and_scopes_permission: permission } = body;
  if (readonly !== undefined && readonly !== null && typeof readonly !== 'boolean') {
    throw new BadRequestError(AuthMessages.invalidTokenField('readonly', 'true or false'));
  }
  if (permission === 'no-access') throw new BadRequestError(AuthMessages.noAccessTokensUnsupported);
  if (
    permission !== undefined &&
    permission !== null &&
    permission !== 'read-only' &&
    permission !== 'read-write'
  ) {
    throw new BadRequestError(
      AuthMessages.invalidTokenField('packages_and_scopes_permission', 'read-only or read-write'),
    );
  }
  return readonly === true || permission === 'read-only';
}

function cidrWhitelistOf(body: Record<string, unknown>, addressKnown: boolean): string[] {
  const list = body.cidr_whitelist;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string')) {
    throw new BadRequestError(
      AuthMessages.invalidTokenField('cidr_whitelist', 'a list of IPv4 CIDR strings'),
    );
  }
  if (list.length === 0) return [];
  const problems = cidrListProblems(list);
  if (problems.length > 0) throw new BadRequestError(AuthMessages.cidrInvalid(problems));
  // A whitelist that could never be checked would lock the token out, or worse, be ignored.
  if (!addressKnown) throw new BadRequestError(AuthMessages.cidrUnavailable);
  return list;
}

function optionalText(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH) {
    throw new BadRequestError(
      AuthMessages.invalidTokenField(field, `text of at most ${MAX_TEXT_LENGTH} characters`),
    );
  }
  return value;
}
