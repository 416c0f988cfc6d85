import type { LocalAuthStore } from './LocalAuthStore.ts';
import type { TokenAuthenticator } from './tokenAuthenticator.ts';

/** What the local provider's route handlers share. */
export interface LocalAuthDependencies {
  store: LocalAuthStore;
  tokens: TokenAuthenticator;
  allowRegistration: boolean;
  now: () => Date;
}
