import { type Logger, noopLogger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import { DEFAULT_TOKEN_MAX_AGE_MS } from './issueToken.ts';
import { TokenStore } from './TokenStore.ts';
import {
  createTokenAuthenticator,
  LAST_USED_INTERVAL_MS,
  type TokenAuthenticator,
  type TokenCacheOptions,
} from './tokenAuthenticator.ts';

/** What token issue, revocation and the token routes share, whichever provider signed the user in. */
export interface TokenDependencies {
  store: TokenStore;
  tokens: TokenAuthenticator;
  now: () => Date;
  /** Longest life of a token that can publish, in ms (REGISTRY_TOKEN_MAX_AGE). */
  tokenMaxAgeMs: number;
}

/** The options every provider takes for its tokens. */
export interface TokenOptions {
  /** Where tokens live (under `auth/`), usually the registry's own storage. */
  storage: ObjectStorage;
  logger?: Logger;
  /** The clock, for token creation and expiry times. */
  now?: () => Date;
  tokenCache?: TokenCacheOptions;
  /** Longest life of a token that can publish, in ms (REGISTRY_TOKEN_MAX_AGE); defaults to 90 days. */
  tokenMaxAgeMs?: number;
}

/**
 * The token store in `storage` and the authenticator reading it, as every provider sets them up;
 * `groupsOf` gives a token's user their groups (see `createTokenAuthenticator`).
 */
export function createTokenDependencies(
  options: TokenOptions,
  groupsOf?: (user: string) => Promise<readonly string[] | undefined>,
): TokenDependencies {
  const now = options.now ?? (() => new Date());
  const store = new TokenStore(options.storage);
  const tokens = createTokenAuthenticator({
    loadToken: (key) => store.getToken(key),
    recordUse: (key, at) => store.recordUse(key, at, LAST_USED_INTERVAL_MS),
    groupsOf,
    now,
    logger: options.logger ?? noopLogger,
    cache: options.tokenCache,
  });
  return { store, tokens, now, tokenMaxAgeMs: options.tokenMaxAgeMs ?? DEFAULT_TOKEN_MAX_AGE_MS };
}
