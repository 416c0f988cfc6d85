import { NotFoundError } from '@myorg/error';
import { json } from '@myorg/response';
import type { RouteHandler } from '../../../http/types.ts';
import { couchIdOf, NO_STORE, userNameFromCouchId } from '../../authRequests.ts';
import { AuthMessages } from '../../messages.ts';
import type { LocalAuthDependencies } from '../LocalAuthDependencies.ts';
import { userKey } from '../userName.ts';

/**
 * `GET /-/user/org.couchdb.user:<name>`: the user's own document in CouchDB's shape, without the
 * password hash. Other signed-in users see only the name, which is what `npm owner add` needs to
 * confirm that a user exists; anonymous callers get 404, so names are not listed to the world.
 */
export function userDocumentHandler(deps: LocalAuthDependencies): RouteHandler<'/-/user/:user'> {
  return async (_req, ctx, params) => {
    const key = userKey(userNameFromCouchId(params.user));
    const stored = ctx.principal === undefined ? undefined : await deps.users.getUser(key);
    if (stored === undefined) throw new NotFoundError(AuthMessages.noSuchUser);
    const { user, revision } = stored;
    if (ctx.principal?.name !== key)
      return json(200, { _id: couchIdOf(user.name), name: user.name }, NO_STORE);
    return json(
      200,
      {
        _id: couchIdOf(user.name),
        _rev: revision,
        name: user.name,
        email: user.email,
        type: 'user',
        roles: [],
        date: user.created,
      },
      NO_STORE,
    );
  };
}
