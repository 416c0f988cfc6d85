import { generateToken, hashToken, maskToken } from './accessToken.ts';
import type { TokenRecord } from './records.ts';
import type { TokenDependencies } from './TokenDependencies.ts';

export interface TokenRequest {
  user: string;
  name: string;
  description?: string;
  readOnly: boolean;
  cidrWhitelist: string[];
  expiresInDays?: number;
  /** Limits the token to publishing these packages (trusted publishing). */
  packages?: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates and stores a token. The token is returned once, here; only its hash is kept. */
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
  if (request.expiresInDays !== undefined) {
    record.expires = new Date(created.getTime() + request.expiresInDays * DAY_MS).toISOString();
  }
  await deps.store.createToken(record);
  // Nothing should be cached for a brand-new token, but a stale "unknown" entry must never hide it.
  deps.tokens.forget(record.key);
  return { token, record };
}
