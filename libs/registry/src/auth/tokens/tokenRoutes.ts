import { anonymousRoute, type Route, route } from '../../http/types.ts';
import { type ConfirmIdentity, createTokenHandler } from './routes/createToken.ts';
import { listTokensHandler } from './routes/listTokens.ts';
import { logoutHandler } from './routes/logout.ts';
import { revokeTokenHandler } from './routes/revokeTokenRoute.ts';
import { whoamiHandler } from './routes/whoami.ts';
import type { TokenDependencies } from './TokenDependencies.ts';

/**
 * The endpoints every provider serves the same way: `npm whoami`, `npm logout` and `npm token
 * list|create|revoke`. Only the password check of `npm token create` is the provider's.
 */
export function tokenRoutes(deps: TokenDependencies, confirm: ConfirmIdentity): Route[] {
  return [
    // Logging out must work without a valid token for reads: it carries its own.
    anonymousRoute('DELETE', '/-/user/token/:token', logoutHandler(deps)),
    route('GET', '/-/whoami', whoamiHandler),
    route('GET', '/-/npm/v1/tokens', listTokensHandler(deps)),
    route('POST', '/-/npm/v1/tokens', createTokenHandler(deps, confirm)),
    // The web UI's account page revokes tokens here too, with its session cookie.
    { ...route('DELETE', '/-/npm/v1/tokens/token/:key', revokeTokenHandler(deps)), session: true },
  ];
}
