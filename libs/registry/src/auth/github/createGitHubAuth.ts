import { UnauthorizedError } from '@myorg/error';
import type { GitHubConfig } from '../../config/parseRegistryConfig.ts';
import { anonymousRoute, type Route } from '../../http/types.ts';
import { AuthMessages } from '../messages.ts';
import { createTokenDependencies, type TokenOptions } from '../tokens/TokenDependencies.ts';
import { tokenRoutes } from '../tokens/tokenRoutes.ts';
import type { AuthProvider, Principal } from '../types.ts';
import { createGitHubApi } from './GitHubApi.ts';
import type { GitHubAuthDependencies } from './GitHubAuthDependencies.ts';
import { GitHubUserStore } from './GitHubUserStore.ts';
import { LoginSessions } from './LoginSessions.ts';
import { createMembershipCache } from './MembershipCache.ts';
import { legacyLoginHandler } from './routes/legacyLogin.ts';
import { userDocumentHandler } from './routes/userDocument.ts';
import { webLoginRoutes } from './routes/webLogin.ts';
import { isGitHubLogin } from './signIn.ts';

export interface GitHubAuthOptions extends TokenOptions {
  github: GitHubConfig;
  /** The `team:<org>/<slug>` subjects the access rules name: the only teams asked about. */
  teams: readonly string[];
}

/**
 * The `github` auth provider (REGISTRY_AUTH=github): people sign in with GitHub (`npm login` in a
 * browser, or a personal access token as the password) and get the registry's own token; requests
 * authenticate with that token. Each principal carries `org:` and `team:` groups from GitHub,
 * cached per user for `membershipTtlMs`, and must hold one of `org:<org>` to do anything.
 */
export function createGitHubAuth(options: GitHubAuthOptions): AuthProvider {
  const github = createGitHubApi(options.github, options.teams);
  const tokenDeps = createTokenDependencies(options);
  const { tokens, now } = tokenDeps;
  const memberships = createMembershipCache({
    load: (login) => github.groupsOf(login),
    ttlMs: options.github.membershipTtlMs,
    now,
  });
  const deps: GitHubAuthDependencies = {
    ...tokenDeps,
    github,
    memberships,
    users: new GitHubUserStore(options.storage),
    sessions: new LoginSessions(options.storage, now),
    orgs: options.github.orgs,
    oauth: { webUrl: options.github.webUrl, clientId: options.github.clientId },
  };
  // `npm token create` asks for the password again: here, a GitHub token of the same user.
  const confirm = async (principal: Principal, password: string) => {
    const user = await github.userFor(password);
    if (user?.login.toLowerCase() !== principal.name) {
      throw new UnauthorizedError(AuthMessages.confirmNeedsGitHubToken);
    }
  };
  const login = legacyLoginHandler(deps);
  // Logging in must work without a token: it hands one out.
  const routes: Route[] = [
    ...webLoginRoutes(deps),
    anonymousRoute('PUT', '/-/user/:user', login),
    anonymousRoute('PUT', '/-/user/:user/-rev/:rev', login),
    anonymousRoute('GET', '/-/user/:user', userDocumentHandler(deps)),
    ...tokenRoutes(deps, confirm),
  ];
  return {
    name: 'github',
    requiredGroups: options.github.orgs.map((org) => `org:${org}`),
    async authenticate(authorization, remoteAddress) {
      const principal = await tokens.authenticate(authorization, remoteAddress);
      // A token limited to packages (trusted publishing) stands for a workflow, not a GitHub user.
      if (principal === undefined || principal.packages !== undefined) return principal;
      return { ...principal, groups: await memberships.groupsOf(principal.name) };
    },
    userExists: async (name) => {
      const login = name.toLowerCase();
      return isGitHubLogin(login) && (await deps.users.getUser(login)) !== undefined;
    },
    tokens: tokenDeps,
    routes: () => [...routes],
  };
}
