import { json } from '@myorg/response';
import type { RouteHandler } from '../../../http/types.ts';
import { NO_STORE } from '../../authRequests.ts';
import { requirePrincipal } from '../../requirePrincipal.ts';
import type { TokenRecord } from '../records.ts';
import type { TokenDependencies } from '../TokenDependencies.ts';
import { tokenView } from './tokenView.ts';

/** `GET /-/npm/v1/tokens` (`npm token list`): the caller's tokens, newest first, in one page. */
export function listTokensHandler(deps: TokenDependencies): RouteHandler {
  return async (_req, ctx) => {
    const principal = requirePrincipal(ctx);
    const records = await tokensOf(deps, principal.name);
    // No `urls.next`: npm stops paginating.
    return json(200, { objects: records.map(tokenView), total: records.length, urls: {} }, NO_STORE);
  };
}

/** A user's tokens, newest first: as `npm token list` and the web UI's account page show them. */
export async function tokensOf(deps: TokenDependencies, user: string): Promise<TokenRecord[]> {
  const records = await deps.store.listTokens(user);
  return records.sort((a, b) => b.created.localeCompare(a.created) || a.key.localeCompare(b.key));
}
