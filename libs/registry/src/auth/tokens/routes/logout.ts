import { json } from '@myorg/response';
import type { RouteHandler } from '../../../http/types.ts';
import { hashToken, isTokenShaped } from '../accessToken.ts';
import { revokeAndRecord } from '../revokeToken.ts';
import type { TokenDependencies } from '../TokenDependencies.ts';

/**
 * `DELETE /-/user/token/<token>` (`npm logout`): revokes exactly the token in the path. Holding the
 * token is the proof needed. An unknown or already revoked token gets the same 200, so npm can still
 * clear its configuration and the answer tells nothing about the token.
 */
export function logoutHandler(deps: TokenDependencies): RouteHandler<'/-/user/token/:token'> {
  return async (_req, ctx, params) => {
    const { token } = params;
    const record = isTokenShaped(token) ? await deps.store.getToken(hashToken(token)) : undefined;
    if (record !== undefined) {
      await revokeAndRecord(ctx, deps, record, 'logout');
    }
    return json(200, { ok: true });
  };
}
