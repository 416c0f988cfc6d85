import { NotFoundError } from '@myorg/error';
import { json } from '@myorg/response';
import type { RouteHandler } from '../../../http/types.ts';
import { couchIdOf, NO_STORE, userNameFromCouchId } from '../../authRequests.ts';
import { AuthMessages } from '../../messages.ts';
import type { GitHubAuthDependencies } from '../GitHubAuthDependencies.ts';
import { isGitHubLogin } from '../signIn.ts';

/**
 * `GET /-/user/org.couchdb.user:<login>`: a GitHub user who has signed in here, which is what
 * `npm owner add` asks before naming a maintainer. Signed-in callers only (404 otherwise), so
 * logins are not listed to the world; the e-mail address only to its owner.
 */
export function userDocumentHandler(deps: GitHubAuthDependencies): RouteHandler<'/-/user/:user'> {
  return async (_req, ctx, params) => {
    const login = userNameFromCouchId(params.user).toLowerCase();
    const user =
      ctx.principal === undefined || !isGitHubLogin(login) ? undefined : await deps.users.getUser(login);
    if (user === undefined) throw new NotFoundError(AuthMessages.noSuchUser);
    const own = ctx.principal?.name === login;
    return json(
      200,
      {
        _id: couchIdOf(login),
        name: login,
        ...(own && user.email !== undefined ? { email: user.email } : {}),
        ...(own ? { type: 'user', roles: [], date: user.created } : {}),
      },
      NO_STORE,
    );
  };
}
