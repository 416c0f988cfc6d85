import { empty } from '@myorg/response';
import type { Middleware } from './compose.ts';
import type { RequestContext } from './RequestContext.ts';

export interface CorsOptions {
  /** The `Access-Control-Allow-Origin` value. Defaults to `*`: bearer tokens, not cookies, carry identity. */
  origin?: string;
  /** Request headers a browser may send; `Authorization` must be named, `*` never covers it. */
  allowHeaders?: readonly string[];
  /** Response headers a browser script may read. */
  exposeHeaders?: readonly string[];
  /** How long a browser may reuse a preflight answer. */
  maxAgeSeconds?: number;
}

const ALLOWED_METHODS = 'GET, HEAD, PUT, POST, DELETE';

/**
 * Lets browser apps (a registry UI, say) call the service from another origin. Only requests that
 * carry `Origin` — browsers' — get the headers, so other clients' responses stay as they were; a
 * preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here without reaching
 * the handler.
 */
export function cors<C extends RequestContext = RequestContext>(options: CorsOptions = {}): Middleware<C> {
  const origin = options.origin ?? '*';
  const allowHeaders = (options.allowHeaders ?? ['authorization', 'content-type', 'accept', 'npm-otp']).join(
    ', ',
  );
  const exposeHeaders = (options.exposeHeaders ?? ['etag', 'warning', 'www-authenticate']).join(', ');
  const maxAge = String(options.maxAgeSeconds ?? 600);
  const fromBrowser: Middleware<C> = async (req, ctx, next) => {
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      return empty(204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': allowHeaders,
        'access-control-max-age': maxAge,
      });
    }
    const response = await next(req, ctx);
    response.headers['access-control-allow-origin'] = origin;
    response.headers['access-control-expose-headers'] = exposeHeaders;
    return response;
  };
  // Other clients' requests pass straight through: no extra frame or promise per request.
  return (req, ctx, next) =>
    req.headers.origin === undefined ? next(req, ctx) : fromBrowser(req, ctx, next);
}
