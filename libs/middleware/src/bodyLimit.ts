import type { Middleware } from './compose.ts';
import { assertDeclaredLength, limitBody, type TooLargeMessage } from './limitBody.ts';
import type { RequestContext } from './RequestContext.ts';

/**
 * Caps request bodies at `maxBytes`: a larger declared `content-length` is refused before any byte
 * is read, and the body is wrapped so that reading past the limit throws a 413 as well. `message`
 * words the 413 (a deployment may say why its limit is what it is).
 */
export function bodyLimit<C extends RequestContext = RequestContext>(
  maxBytes: number,
  message?: TooLargeMessage,
): Middleware<C> {
  // Not async, so a request passes without a promise and a microtask turn of this layer's own; a
  // refusal is still a rejection, as from any handler.
  return (req, ctx, next) => {
    try {
      assertDeclaredLength(req.headers, maxBytes, message);
    } catch (error) {
      return Promise.reject(error);
    }
    if (req.body === undefined) return next(req, ctx);
    return next({ ...req, body: limitBody(req.body, maxBytes, message) }, ctx);
  };
}
