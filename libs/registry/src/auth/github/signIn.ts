import { ForbiddenError } from '@myorg/error';
import { AccessMessages } from '../../access/messages.ts';
import type { RegistryContext } from '../../http/types.ts';
import { audit } from '../authRequests.ts';
import type { GitHubUser } from './GitHubApi.ts';
import type { GitHubAuthDependencies } from './GitHubAuthDependencies.ts';

// GitHub logins: letters, digits and single hyphens (and `_` for Enterprise Managed Users), at most 39.
const LOGIN_PATTERN = /^[a-z0-9][a-z0-9_-]{0,38}$/i;

export function isGitHubLogin(name: string): boolean {
  return LOGIN_PATTERN.test(name);
}

/**
 * The last step of every sign-in, whatever proved the GitHub identity: the memberships are asked
 * afresh (a login is when someone just added to the org expects to get in), the user must be an
 * active member of one of the orgs (403 otherwise), and the sign-in is recorded. Answers the
 * registry's user name: the login in lower case.
 */
export async function signIn(
  deps: GitHubAuthDependencies,
  ctx: RegistryContext,
  user: GitHubUser,
): Promise<string> {
  const login = user.login.toLowerCase();
  const groups = await deps.memberships.refresh(login);
  const required = deps.orgs.map((org) => `org:${org}`);
  if (!required.some((group) => groups.includes(group))) {
    audit(
      ctx,
      'login refused: not an org member',
      { user: login },
      { action: 'login', outcome: 'denied', actor: login, detail: 'not an org member' },
    );
    throw new ForbiddenError(AccessMessages.notMember(login, required));
  }
  await deps.users.recordLogin(user, deps.now());
  return login;
}
