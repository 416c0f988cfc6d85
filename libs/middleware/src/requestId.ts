import { randomUUID } from 'node:crypto';
import { Header } from '@myorg/constants';
import type { Middleware } from './compose.ts';
import type { RequestContext } from './RequestContext.ts';

// Short and plain enough to be safe in logs and headers; anything else is replaced, not trusted.
const SANE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * Names the request: a sane incoming `x-request-id` is kept (so ids follow a request across
 * proxies), else an id the transport already set (API Gateway's), else a new UUID. The id is
 * echoed in the `x-request-id` response header.
 */
export function requestId<C extends RequestContext = RequestContext>(): Middleware<C> {
  return async (req, ctx, next) => {
    const incoming = req.headers[Header.X_REQUEST_ID];
    if (incoming !== undefined && SANE_ID.test(incoming)) ctx.requestId = incoming;
    else if (ctx.requestId === '') ctx.requestId = randomUUID();
    const response = await next(req, ctx);
    response.headers[Header.X_REQUEST_ID] = ctx.requestId;
    return response;
  };
}
