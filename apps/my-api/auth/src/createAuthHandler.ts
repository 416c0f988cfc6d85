import {
  MethodNotAllowedError,
  NotFoundError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '@myorg/error';
import {
  authentication,
  bodyLimit,
  compose,
  errorMapping,
  type Handler,
  type HttpRequest,
  type Principal,
  readJson,
  requestId,
  requestLogging,
  requirePrincipal,
} from '@myorg/middleware';
import { empty, json } from '@myorg/response';
import { parseConfig, z } from '@myorg/validation';
import type { SessionStore } from './SessionStore.ts';
import type { UserDirectory } from './UserDirectory.ts';

/** Credentials are tiny; anything bigger is refused before it is read. */
export const MAX_BODY_BYTES = 16 * 1024;

const credentialsSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

interface SessionPrincipal extends Principal {
  displayName: string;
  token: string;
}

export interface AuthServiceOptions {
  users: UserDirectory;
  sessions: SessionStore;
}

/**
 * The auth API: `POST /sessions` signs in, `GET /me` tells who a bearer token belongs to, and
 * `DELETE /sessions/current` signs out. Errors are JSON bodies `{ error, code }`.
 */
export function createAuthHandler({ users, sessions }: AuthServiceOptions): Handler {
  const resolveBearer = async (req: HttpRequest): Promise<SessionPrincipal | undefined> => {
    const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '');
    const session = match?.[1] === undefined ? undefined : sessions.lookup(match[1]);
    const user = session && users.get(session.username);
    return session && user && { id: user.username, displayName: user.displayName, token: session.token };
  };

  const signIn: Handler = async (req) => {
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      throw new UnsupportedMediaTypeError('credentials must be sent as application/json');
    }
    const credentials = parseConfig(credentialsSchema, await readJson(req), 'credentials');
    const user = await users.authenticate(credentials.username, credentials.password);
    if (user === undefined) throw new UnauthorizedError('invalid username or password');
    const session = sessions.create(user.username);
    return json(
      201,
      {
        token: session.token,
        tokenType: 'Bearer',
        expiresAt: session.expiresAt.toISOString(),
        user: { username: user.username, displayName: user.displayName },
      },
      { 'cache-control': 'no-store' },
    );
  };

  const whoAmI: Handler = async (_req, ctx) => {
    const principal = requirePrincipal<SessionPrincipal>(ctx);
    return json(200, { username: principal.id, displayName: principal.displayName });
  };

  const signOut: Handler = async (_req, ctx) => {
    sessions.revoke(requirePrincipal<SessionPrincipal>(ctx).token);
    return empty(204);
  };

  const routes: Record<string, Record<string, Handler>> = {
    '/sessions': { POST: signIn },
    '/me': { GET: whoAmI },
    '/sessions/current': { DELETE: signOut },
  };

  const route: Handler = async (req, ctx) => {
    const methods = routes[req.path];
    if (methods === undefined) throw new NotFoundError(`no such resource: ${req.path}`);
    const handler = methods[req.method];
    if (handler === undefined) throw new MethodNotAllowedError(Object.keys(methods));
    return handler(req, ctx);
  };

  return compose(
    requestId(),
    requestLogging(),
    errorMapping(),
    authentication(resolveBearer),
    bodyLimit(MAX_BODY_BYTES),
  )(route);
}
