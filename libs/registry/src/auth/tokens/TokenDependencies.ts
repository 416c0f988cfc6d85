import type { TokenStore } from './TokenStore.ts';
import type { TokenAuthenticator } from './tokenAuthenticator.ts';

/** What token issue, revocation and the token routes share, whichever provider signed the user in. */
export interface TokenDependencies {
  store: TokenStore;
  tokens: TokenAuthenticator;
  now: () => Date;
}
