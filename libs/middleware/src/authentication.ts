import { Header } from '@myorg/constants';
import { UnauthorizedError } from '@myorg/error';
import type { Middleware } from './compose.ts';
import type { HttpRequest } from './HttpRequest.ts';
import type { RequestContext } from './RequestContext.ts';

/** Who made the request. Applications extend it with what their policies need. */
export interface Principal {
  id: string;
}

export type ResolvePrincipal<P extends Principal = Principal> = (
  req: HttpRequest,
  ctx: RequestContext,
) => Promise<P | undefined>;

/**
 * Resolves the caller (from a token, a session) into `ctx.state.principal`. An anonymous request
 * passes on untouched: whether it may proceed is for the handler's policy, not for this hook.
 * Errors the resolver throws (a malformed token) propagate.
 */
export function authentication<P extends Principal, C extends RequestContext = RequestContext>(
  resolve: ResolvePrincipal<P>,
): Middleware<C> {
  return async (req, ctx, next) => {
    const principal = await resolve(req, ctx);
    if (principal !== undefined) ctx.state.principal = principal;
    return next(req, ctx);
  };
}

/** The resolved principal, if any. */
export function getPrincipal<P extends Principal = Principal>(ctx: RequestContext): P | undefined {
  return ctx.state.principal as P | undefined;
}

/**
 * The resolved principal, or a 401 whose `WWW-Authenticate` tells the client which scheme to use
 * (npm sends its token as `Bearer`).
 */
export function requirePrincipal<P extends Principal = Principal>(
  ctx: RequestContext,
  challenge = 'Bearer',
): P {
  return requireAuthenticated(getPrincipal<P>(ctx), { challenge });
}

/**
 * The one 401 guard: `principal` when there is one, else an UnauthorizedError carrying `message` and
 * a `WWW-Authenticate` challenge. For applications that keep their caller elsewhere than in
 * `ctx.state` (the registry's typed context) and for `requirePrincipal`.
 */
export function requireAuthenticated<P>(
  principal: P | undefined,
  {
    message = 'authentication required',
    challenge = 'Bearer',
  }: { message?: string; challenge?: string } = {},
): P {
  if (principal === undefined) {
    throw new UnauthorizedError(message, { headers: { [Header.WWW_AUTHENTICATE]: challenge } });
  }
  return principal;
}
