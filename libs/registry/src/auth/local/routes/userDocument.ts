import { NotFoundError } from '@myorg/error';
import { json } from '@myorg/response';
import type { RouteHandler } from '../../../http/types.ts';
import { AuthMessages } from '../../messages.ts';
import type { LocalAuthDependencies } from '../LocalAuthDependencies.ts';
import { userKey } from '../userName.ts';
import { couchIdOf, NO_STORE, userNameFromCouchId } from './requestHelpers.ts';

/**
 * `GET /-/user/org.couchdb.user:<name>`: the user's own document in CouchDB's shape, without the
 * password hash. Anyone else gets 404, so the route does not reveal which names exist.
 */
export function userDocumentHandler(deps: LocalAuthDependencies): RouteHandler {
  return async (_req, ctx, params) => {
    const key = userKey(userNameFromCouchId(params.user));
    const stored = ctx.principal?.name === key ? await deps.store.getUser(key) : undefined;
    if (stored === undefined) throw new NotFoundError(AuthMessages.noSuchUser);
    const { user, revision } = stored;
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
