import type { RegistryContext } from '../../http/types.ts';
import { audit, tokenDetail } from '../authRequests.ts';
import type { TokenRecord } from './records.ts';
import type { TokenDependencies } from './TokenDependencies.ts';

/** Deletes a token and forgets it at once, so it stops authenticating in this process immediately. */
export async function revokeToken(deps: TokenDependencies, record: TokenRecord): Promise<void> {
  deps.tokens.forget(record.key);
  await deps.store.deleteToken(record);
  // Forget again: a lookup that ran while the delete was in flight may have cached the token.
  deps.tokens.forget(record.key);
}

/** Revokes `record` for `npm logout` or `npm token revoke`, and records which in the log and audit trail. */
export async function revokeAndRecord(
  ctx: RegistryContext,
  deps: TokenDependencies,
  record: TokenRecord,
  action: 'logout' | 'token-revoke',
): Promise<void> {
  await revokeToken(deps, record);
  audit(
    ctx,
    action === 'logout' ? 'logged out' : 'token revoked',
    { user: record.user, tokenKey: record.key },
    { action, outcome: 'ok', actor: record.user, detail: tokenDetail(record) },
  );
}
