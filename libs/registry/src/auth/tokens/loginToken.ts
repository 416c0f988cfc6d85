import type { RegistryContext } from '../../http/types.ts';
import { audit, tokenDetail } from '../authRequests.ts';
import { issueToken } from './issueToken.ts';
import type { TokenDependencies } from './TokenDependencies.ts';

/**
 * The token a login hands out, whichever way the user proved who they are (`how`, for the log): one
 * that can publish, listed as "npm login" by `npm token list`.
 */
export async function issueLoginToken(
  deps: TokenDependencies,
  ctx: RegistryContext,
  user: string,
  how: string,
): Promise<string> {
  const { token, record } = await issueToken(deps, {
    user,
    name: 'npm login',
    readOnly: false,
    cidrWhitelist: [],
  });
  audit(
    ctx,
    'token issued at login',
    { user, tokenKey: record.key, via: how },
    { action: 'login', outcome: 'ok', actor: user, detail: `${how}; ${tokenDetail(record)}` },
  );
  return token;
}
