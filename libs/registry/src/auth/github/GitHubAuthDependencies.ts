import type { TokenDependencies } from '../tokens/TokenDependencies.ts';
import type { GitHubApi } from './GitHubApi.ts';
import type { GitHubUserStore } from './GitHubUserStore.ts';
import type { LoginSessions } from './LoginSessions.ts';
import type { MembershipCache } from './MembershipCache.ts';

/** What the GitHub provider's route handlers share. */
export interface GitHubAuthDependencies extends TokenDependencies {
  github: GitHubApi;
  memberships: MembershipCache;
  users: GitHubUserStore;
  sessions: LoginSessions;
  /** REGISTRY_GITHUB_ORGS, lower case: active membership of one is needed to sign in. */
  orgs: readonly string[];
  /** The OAuth app and GitHub's web URL, for the browser's trip to GitHub. */
  oauth: { webUrl: string; clientId: string };
}
