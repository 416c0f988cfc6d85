import { generateToken, hashToken, maskToken } from './accessToken.ts';
import type { TokenRecord } from './records.ts';
import type { TokenDependencies } from './TokenDependencies.ts';

export interface TokenRequest {
  user: string;
  name: string;
  description?: string;
  readOnly: boolean;
  cidrWhitelist: string[];
  /** How long the token lives, in ms; a token that can publish never outlives `tokenMaxAgeMs`. */
  lifeMs?: number;
  /** Limits the token to publishing these packages (trusted publishing). */
  packages?: readonly string[];
}

export const DAY_MS = 24 * 60 * 60 * 1000;
/** What REGISTRY_TOKEN_MAX_AGE defaults to: 90 days. */
export const DEFAULT_TOKEN_MAX_AGE_MS = 90 * DAY_MS;

/**
 * Creates and stores a token. The token is returned once, here; only its hash is kept. A token that
 * can publish expires after `deps.tokenMaxAgeMs` at the latest (sooner when asked), so a leaked one
 * stops working on its own; a read-only token lives as long as asked, for ever when not.
 */
export async function issueToken(
  deps: TokenDependencies,
  request: TokenRequest,
): Promise<{ token: string; record: TokenRecord }> {
  const token = generateToken();
  const created = deps.now();
  const record: TokenRecord = {
    key: hashToken(token),
    user: request.user,
    masked: maskToken(token),
    name: request.name,
    readOnly: request.readOnly,
    cidrWhitelist: request.cidrWhitelist,
    created: created.toISOString(),
  };
  if (request.description !== undefined) record.description = request.description;
  if (request.packages !== undefined) record.packages = [...request.packages];
  const asked = request.lifeMs;
  const lifeMs = request.readOnly ? asked : Math.min(asked ?? deps.tokenMaxAgeMs, deps.tokenMaxAgeMs);
  if (lifeMs !== undefined) record.expires = new Date(created.getTime() + lifeMs).toISOString();
  await deps.store.createToken(record);
  // Nothing should be cached for a brand-new token, but a stale "unknown" entry must never hide it.
  deps.tokens.forget(record.key);
  return { token, record };
}
