import { BadRequestError, ForbiddenError, NotFoundError } from '@myorg/error';
import { json } from '@myorg/response';
import type { RouteHandler } from '../../../http/types.ts';
import { AuthMessages } from '../../messages.ts';
import { requirePrincipal } from '../../requirePrincipal.ts';
import { hashToken, isTokenShaped, maskToken, TOKEN_PREFIX } from '../accessToken.ts';
import type { TokenRecord } from '../records.ts';
import { revokeAndRecord } from '../revokeToken.ts';
import type { TokenDependencies } from '../TokenDependencies.ts';

/**
 * `DELETE /-/npm/v1/tokens/token/<id>` (`npm token revoke`): npm sends a key it resolved from the
 * list, or what the user typed when it starts with a listed (masked) token: the whole token or its
 * masked start. Only the caller's own tokens match. A read-only token may revoke itself, nothing else.
 */
export function revokeTokenHandler(deps: TokenDependencies): RouteHandler<'/-/npm/v1/tokens/token/:key'> {
  return async (_req, ctx, params) => {
    const principal = requirePrincipal(ctx);
    const id = params.key;
    const record = findToken(await deps.store.listTokens(principal.name), id);
    if (principal.readOnly && record.key !== principal.tokenKey) {
      throw new ForbiddenError(AuthMessages.readOnlyCannotManageTokens);
    }
    await revokeAndRecord(ctx, deps, record, 'token-revoke');
    return json(200, { ok: true });
  };
}

function findToken(records: readonly TokenRecord[], id: string): TokenRecord {
  let matches: TokenRecord[];
  if (isTokenShaped(id)) {
    const key = hashToken(id);
    matches = records.filter((record) => record.key === key);
  } else if (id.startsWith(TOKEN_PREFIX)) {
    matches = records.filter((record) => id.startsWith(record.masked) || record.masked.startsWith(id));
  } else {
    const prefix = id.toLowerCase();
    matches = id === '' ? [] : records.filter((record) => record.key.startsWith(prefix));
  }
  const [only, ...others] = matches;
  // A token (or the start of one) is shown masked, as `npm token list` shows it: errors are logged.
  const shown = id.startsWith(TOKEN_PREFIX) ? `${maskToken(id)}…` : id;
  if (only === undefined) throw new NotFoundError(AuthMessages.noSuchToken(shown));
  if (others.length > 0) throw new BadRequestError(AuthMessages.ambiguousToken(shown));
  return only;
}
