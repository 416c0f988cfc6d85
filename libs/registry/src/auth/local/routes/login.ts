import { BadRequestError, ForbiddenError, UnauthorizedError } from '@myorg/error';
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
import { addUser, assertEmail } from '../addUser.ts';
import type { LocalAuthDependencies } from '../LocalAuthDependencies.ts';
import type { StoredUser } from '../LocalAuthStore.ts';
import { verifyPassword } from '../passwordHash.ts';
import { userKey, userNameProblem } from '../userName.ts';

/**
 * `PUT /-/user/org.couchdb.user:<name>[/-rev/<rev>]`: npm's legacy adduser and login in one call.
 * An existing user with the right password is logged in (npm's adduser relies on that); an unknown
 * one is registered when the body carries an email (adduser) and registration is on. npm-profile retries a 409 with Basic credentials on the
 * `-rev` path; that request is answered the same way, with the Basic password as the credential.
 * Either way the answer is 201 with a new token.
 */
export function loginHandler(deps: LocalAuthDependencies): RouteHandler<'/-/user/:user'> {
  return async (req, ctx, params) => {
    const requestedName = userNameFromCouchId(params.user);
    const key = userKey(requestedName);
    const problem = userNameProblem(key);
    if (problem !== undefined)
      throw new BadRequestError(AuthMessages.invalidUserName(requestedName, problem));
    const body = await readAuthBody(req);
    if (body.name !== undefined && body.name !== requestedName) {
      throw new BadRequestError(AuthMessages.userNameMismatch(requestedName, body.name));
    }
    const password = credentialPassword(req, key, body);

    let stored = await deps.users.getUser(key);
    if (stored === undefined) {
      // npm login sends no email, npm adduser always does: a typo at login must not create an account.
      // npm shows a 400 here as "There is no user with the username ...".
      const email = optionalEmail(body.email);
      if (email === undefined) throw new BadRequestError(AuthMessages.unknownUserLogin(requestedName));
      if (!deps.allowRegistration) throw new ForbiddenError(AuthMessages.registrationDisabled(requestedName));
      stored = await register(deps, requestedName, password, email);
      audit(ctx, 'user registered', { user: stored.user.name });
    } else if (!(await verifyPassword(password, stored.user.password))) {
      audit(
        ctx,
        'login refused: incorrect password',
        { user: stored.user.name },
        { action: 'login', outcome: 'failed', actor: stored.user.name, detail: 'incorrect password' },
      );
      throw new UnauthorizedError(AuthMessages.incorrectPassword);
    }
    const { user, revision } = stored;

    const token = await issueLoginToken(deps, ctx, user.name, 'password');
    return json(201, { ok: true, id: couchIdOf(user.name), rev: revision, token }, NO_STORE);
  };
}

async function register(
  deps: LocalAuthDependencies,
  name: string,
  password: string,
  email: string,
): Promise<StoredUser> {
  const added = await addUser(
    deps.users,
    { name, email, password },
    { now: deps.now(), passwordHashCost: deps.passwordHashCost },
  );
  if (added !== undefined) return added;
  // Someone registered the same name meanwhile: this request is a login for that user now.
  const winner = await deps.users.getUser(name);
  if (winner === undefined || !(await verifyPassword(password, winner.user.password))) {
    throw new UnauthorizedError(AuthMessages.incorrectPassword);
  }
  return winner;
}

/** The email address in a body, if any: npm sends none on login, and null or "" mean none too. */
function optionalEmail(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return assertEmail(value);
}
