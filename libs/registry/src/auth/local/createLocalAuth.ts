import { UnauthorizedError } from '@myorg/error';
import { anonymousRoute, type Route } from '../../http/types.ts';
import { AuthMessages } from '../messages.ts';
import { createTokenDependencies, type TokenOptions } from '../tokens/TokenDependencies.ts';
import { tokenRoutes } from '../tokens/tokenRoutes.ts';
import type { AuthProvider, Principal } from '../types.ts';
import type { LocalAuthDependencies } from './LocalAuthDependencies.ts';
import { LocalAuthStore } from './LocalAuthStore.ts';
import { verifyPassword } from './passwordHash.ts';
import { loginHandler } from './routes/login.ts';
import { userDocumentHandler } from './routes/userDocument.ts';
import { webLoginHandler } from './routes/webLogin.ts';
import { userKey, userNameProblem } from './userName.ts';

export interface LocalAuthOptions extends TokenOptions {
  /** Whether `npm adduser` may create users. Existing users can always log in. */
  allowRegistration: boolean;
  /**
   * scrypt's cost (N) for the passwords of users `npm adduser` creates: PASSWORD_HASH_COST unless a
   * test sets a cheap one. Existing users keep the cost their hash was made with.
   */
  passwordHashCost?: number;
}

/**
 * The `local` auth provider: users with scrypt-hashed passwords and random tokens stored as SHA-256
 * hashes, all in the registry's storage. Requests authenticate with Bearer tokens only; Basic
 * credentials are read by the login route alone, because checking a password costs a scrypt hash.
 */
export function createLocalAuth(options: LocalAuthOptions): AuthProvider {
  const users = new LocalAuthStore(options.storage);
  // Access rules name a local user's groups `group:<name>`.
  const tokenDeps = createTokenDependencies(options, async (user) =>
    (await users.getUser(user))?.user.groups?.map((group) => `group:${group}`),
  );
  const deps: LocalAuthDependencies = {
    ...tokenDeps,
    users,
    allowRegistration: options.allowRegistration,
    passwordHashCost: options.passwordHashCost,
  };
  const { tokens } = deps;
  const login = loginHandler(deps);
  const userDocument = userDocumentHandler(deps);
  // `npm token create` asks for the password again.
  const confirm = async (principal: Principal, password: string) => {
    const stored = await users.getUser(principal.name);
    if (stored === undefined || !(await verifyPassword(password, stored.user.password))) {
      throw new UnauthorizedError(AuthMessages.incorrectPassword);
    }
  };
  // Logging in must work without a token: it hands one out.
  const routes: Route[] = [
    anonymousRoute('POST', '/-/v1/login', webLoginHandler),
    anonymousRoute('PUT', '/-/user/:user', login),
    anonymousRoute('PUT', '/-/user/:user/-rev/:rev', login),
    anonymousRoute('GET', '/-/user/:user', userDocument),
    ...tokenRoutes(deps, confirm),
  ];
  return {
    name: 'local',
    authenticate: (authorization, remoteAddress) => tokens.authenticate(authorization, remoteAddress),
    userExists: async (name) =>
      userNameProblem(userKey(name)) === undefined && (await users.getUser(userKey(name))) !== undefined,
    tokens: tokenDeps,
    routes: () => [...routes],
  };
}
