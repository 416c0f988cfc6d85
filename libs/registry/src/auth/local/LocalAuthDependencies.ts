import type { TokenDependencies } from '../tokens/TokenDependencies.ts';
import type { LocalAuthStore } from './LocalAuthStore.ts';

/** What the local provider's route handlers share. */
export interface LocalAuthDependencies extends TokenDependencies {
  users: LocalAuthStore;
  allowRegistration: boolean;
  passwordHashCost: number | undefined;
}
