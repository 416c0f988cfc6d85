import type { Logger } from '@myorg/logger';
import { LRUCache } from 'lru-cache';
import { parseAuthorization } from '../authorizationHeader.ts';
import { clockTtl } from '../clockTtl.ts';
import type { Principal } from '../Principal.ts';
import { hashToken, isTokenShaped } from './accessToken.ts';
import { cidrMatcher } from './cidrList.ts';
import type { TokenRecord } from './records.ts';
import { usedBefore } from './TokenStore.ts';

export interface TokenCacheOptions {
  /** Most tokens (known and unknown) remembered at once. Default 10,000. */
  maxEntries?: number;
  /**
   * How long a token's state is trusted without reading storage again, in milliseconds. Revocations in
   * this process apply at once; this bounds how long one made by another process (another Lambda) takes.
   * Default 30 s.
   */
  ttlMs?: number;
}

/** How precisely `TokenRecord.lastUsed` is kept: a token's use is written at most this often. */
export const LAST_USED_INTERVAL_MS = 60 * 60 * 1000;

export interface TokenAuthenticator {
  /** The principal for a Bearer token; undefined for anything else (Basic is for the login route only). */
  authenticate(authorization: string | undefined, remoteAddress?: string): Promise<Principal | undefined>;
  /** Drops what is remembered about a token, after it was revoked or created. */
  forget(key: string): void;
}

interface ResolvedToken {
  principal: Principal;
  expiresAtMs: number | undefined;
  allows: ((address: string) => boolean) | undefined;
}

/**
 * Resolves tokens to principals at the cost of one SHA-256 and a map lookup: storage is read once per
 * token (and again after the cache's time to live), and no password hash ever runs here.
 */
export function createTokenAuthenticator(options: {
  loadToken: (key: string) => Promise<TokenRecord | undefined>;
  /**
   * Records a use of a token whose last recorded use is at least `LAST_USED_INTERVAL_MS` old
   * (`TokenRecord.lastUsed`). Runs when storage is read for the token, so at most once per cache
   * time to live; it is awaited, so what a request wrote is in storage when it is answered.
   */
  recordUse?: (key: string, at: Date) => Promise<void>;
  /**
   * The groups of a token's user (`Principal.groups`), read with the token and remembered as long:
   * a change of a user's groups applies within the cache's time to live.
   */
  groupsOf?: (user: string) => Promise<readonly string[] | undefined>;
  now: () => Date;
  logger: Logger;
  cache?: TokenCacheOptions;
}): TokenAuthenticator {
  const { loadToken, recordUse, groupsOf, now, logger } = options;
  // Token hash → what it resolved to, `false` for an unknown token (remembered too: a client
  // retrying with a revoked token must not cost a storage read per request). The time to live makes
  // revocations by other processes sharing the storage take effect here as well.
  const ttlMs = options.cache?.ttlMs ?? 30_000;
  const cache = new LRUCache<string, ResolvedToken | false>({
    max: options.cache?.maxEntries ?? 10_000,
    ...clockTtl(now, ttlMs),
  });
  // Bumped by every `forget`: a storage read that started before a revocation must not cache its result.
  let generation = 0;

  async function load(key: string): Promise<ResolvedToken | false> {
    const startedAt = generation;
    const record = await loadToken(key);
    const resolved = record === undefined ? false : toResolved(record, await groupsOf?.(record.user));
    if (record !== undefined && resolved !== false && recordUse !== undefined) {
      const at = now();
      const live = resolved.expiresAtMs === undefined || at.getTime() < resolved.expiresAtMs;
      // Bookkeeping: a storage hiccup here must not refuse a valid token.
      if (live && usedBefore(record, at, LAST_USED_INTERVAL_MS)) {
        await recordUse(key, at).catch((error: unknown) =>
          logger.warn('could not record a token use', { tokenKey: key, error: String(error) }),
        );
      }
    }
    if (startedAt === generation) cache.set(key, resolved);
    return resolved;
  }

  return {
    async authenticate(authorization, remoteAddress) {
      const credentials = parseAuthorization(authorization);
      if (credentials?.scheme !== 'bearer' || !isTokenShaped(credentials.token)) return undefined;
      const key = hashToken(credentials.token);
      const nowMs = now().getTime();
      // The cached path awaits nothing: it is one hash and one map lookup (false is a cached miss).
      const resolved = cache.get(key) ?? (await load(key));
      if (resolved === false) return undefined;
      if (resolved.expiresAtMs !== undefined && nowMs >= resolved.expiresAtMs) return undefined;
      if (resolved.allows !== undefined && (remoteAddress === undefined || !resolved.allows(remoteAddress))) {
        logger.warn('token used from outside its CIDR whitelist', {
          user: resolved.principal.name,
          tokenKey: key,
          remoteAddress,
        });
        return undefined;
      }
      return resolved.principal;
    },
    forget(key) {
      generation += 1;
      cache.delete(key);
    },
  };
}

function toResolved(record: TokenRecord, groups: readonly string[] | undefined): ResolvedToken {
  const principal: Principal = { name: record.user, readOnly: record.readOnly, tokenKey: record.key };
  if (groups !== undefined) principal.groups = groups;
  if (record.packages !== undefined) principal.packages = record.packages;
  return {
    // Shared by every request made with this token, so nobody may change it.
    principal: Object.freeze(principal),
    expiresAtMs: record.expires === undefined ? undefined : Date.parse(record.expires),
    allows: record.cidrWhitelist.length === 0 ? undefined : cidrMatcher(record.cidrWhitelist),
  };
}
