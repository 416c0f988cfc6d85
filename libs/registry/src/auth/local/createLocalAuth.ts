import { type Logger, noopLogger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import { anonymousRoute, type Route, route } from '../../http/types.ts';
import type { AuthProvider } from '../types.ts';
import type { LocalAuthDependencies } from './LocalAuthDependencies.ts';
import { LocalAuthStore } from './LocalAuthStore.ts';
import { createTokenHandler } from './routes/createToken.ts';
import { listTokensHandler } from './routes/listTokens.ts';
import { loginHandler } from './routes/login.ts';
import { logoutHandler } from './routes/logout.ts';
import { revokeTokenHandler } from './routes/revokeTokenRoute.ts';
import { userDocumentHandler } from './routes/userDocument.ts';
import { webLoginHandler } from './routes/webLogin.ts';
import { whoamiHandler } from './routes/whoami.ts';
import { createTokenAuthenticator, type TokenCacheOptions } from './tokenAuthenticator.ts';
import { userKey, userNameProblem } from './userName.ts';

export interface LocalAuthOptions {
  /** Where users and tokens live (under `auth/`), usually the registry's own storage. */
  storage: ObjectStorage;
  /** Whether `npm adduser` may create users. Existing users can always log in. */
  allowRegistration: boolean;
  logger?: Logger;
  /** The clock, for token creation and expiry times. */
  now?: () => Date;
  tokenCache?: TokenCacheOptions;
}

/**
 * The `local` auth provider: users with scrypt-hashed passwords and random tokens stored as SHA-256
 * hashes, all in the registry's storage. Requests authenticate with Bearer tokens only; Basic
 * credentials are read by the login route alone, because checking a password costs a scrypt hash.
 */
export function createLocalAuth(options: LocalAuthOptions): AuthProvider {
  const now = options.now ?? (() => new Date());
  const store = new LocalAuthStore(options.storage);
  const tokens = createTokenAuthenticator({
    loadToken: (key) => store.getToken(key),
    now,
    logger: options.logger ?? noopLogger,
    cache: options.tokenCache,
  });
  const deps: LocalAuthDependencies = { store, tokens, allowRegistration: options.allowRegistration, now };
  const login = loginHandler(deps);
  const userDocument = userDocumentHandler(deps);
  // Logging in and out must work without a token: the first hands one out, the second carries its own.
  const routes: Route[] = [
    anonymousRoute('POST', '/-/v1/login', webLoginHandler),
    anonymousRoute('PUT', '/-/user/:user', login),
    anonymousRoute('PUT', '/-/user/:user/-rev/:rev', login),
    anonymousRoute('GET', '/-/user/:user', userDocument),
    anonymousRoute('DELETE', '/-/user/token/:token', logoutHandler(deps)),
    route('GET', '/-/whoami', whoamiHandler),
    route('GET', '/-/npm/v1/tokens', listTokensHandler(deps)),
    route('POST', '/-/npm/v1/tokens', createTokenHandler(deps)),
    route('DELETE', '/-/npm/v1/tokens/token/:key', revokeTokenHandler(deps)),
  ];
  return {
    name: 'local',
    authenticate: (authorization, remoteAddress) => tokens.authenticate(authorization, remoteAddress),
    userExists: async (name) =>
      userNameProblem(userKey(name)) === undefined && (await store.getUser(userKey(name))) !== undefined,
    routes: () => [...routes],
  };
}
