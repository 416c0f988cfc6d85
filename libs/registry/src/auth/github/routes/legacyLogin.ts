import { BadRequestError, UnauthorizedError } from '@myorg/error';
import { json } from '@myorg/response';
import type { RouteHandler } from '../../../http/types.ts';
import {
  audit,
  couchIdOf,
  credentialPassword,
  NO_STORE,
  readAuthBody,
  userNameFromCouchId,
} from '../../authRequests.ts';
import { AuthMessages } from '../../messages.ts';
import { issueLoginToken } from '../../tokens/loginToken.ts';
import type { GitHubAuthDependencies } from '../GitHubAuthDependencies.ts';
import { isGitHubLogin, signIn } from '../signIn.ts';

/**
 * `PUT /-/user/org.couchdb.user:<login>[/-rev/<rev>]` (`npm login --auth-type=legacy`): the
 * password is a GitHub personal access token. GitHub says whose it is (`GET /user`); it must be the
 * login typed, and an active member of one of the orgs. The GitHub token is used for that one call
 * and then forgotten: the answer is the registry's own token.
 */
export function legacyLoginHandler(deps: GitHubAuthDependencies): RouteHandler<'/-/user/:user'> {
  return async (req, ctx, params) => {
    const name = userNameFromCouchId(params.user);
    if (!isGitHubLogin(name)) throw new BadRequestError(AuthMessages.invalidGitHubLogin(name));
    const body = await readAuthBody(req);
    const user = await deps.github.userFor(credentialPassword(req, name, body));
    if (user === undefined) {
      audit(
        ctx,
        'login refused: GitHub did not accept the token',
        { user: name.toLowerCase() },
        {
          action: 'login',
          outcome: 'failed',
          actor: name.toLowerCase(),
          detail: 'GitHub did not accept the token',
        },
      );
      throw new UnauthorizedError(AuthMessages.githubTokenRejected);
    }
    if (user.login.toLowerCase() !== name.toLowerCase()) {
      audit(
        ctx,
        'login refused: token of another user',
        { user: name.toLowerCase(), owner: user.login },
        { action: 'login', outcome: 'failed', actor: name.toLowerCase(), detail: `token of ${user.login}` },
      );
      throw new UnauthorizedError(AuthMessages.githubLoginMismatch(name, user.login));
    }
    const login = await signIn(deps, ctx, user);
    const token = await issueLoginToken(deps, ctx, login, 'github token');
    return json(201, { ok: true, id: couchIdOf(login), token }, NO_STORE);
  };
}
