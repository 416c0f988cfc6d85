import type { TokenRecord } from './records.ts';
import type { TokenDependencies } from './TokenDependencies.ts';

/** Deletes a token and forgets it at once, so it stops authenticating in this process immediately. */
export async function revokeToken(deps: TokenDependencies, record: TokenRecord): Promise<void> {
  deps.tokens.forget(record.key);
  await deps.store.deleteToken(record);
  // Forget again: a lookup that ran while the delete was in flight may have cached the token.
  deps.tokens.forget(record.key);
}
