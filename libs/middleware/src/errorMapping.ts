import { isServerError } from '@myorg/constants';
import { serializeError, toAppError } from '@myorg/error';
import { errorResponse } from '@myorg/response';
import type { Middleware } from './compose.ts';
import { logSafely } from './logSafely.ts';
import type { RequestContext } from './RequestContext.ts';

/**
 * Turns anything thrown further in into the npm-shaped error response. Server faults are logged at
 * error with their stack and causes (which stay out of the response); client errors only at debug.
 */
export function errorMapping<C extends RequestContext = RequestContext>(): Middleware<C> {
  return async (req, ctx, next) => {
    try {
      return await next(req, ctx);
    } catch (error) {
      const appError = toAppError(error);
      const base = { requestId: ctx.requestId, method: req.method, path: req.path, status: appError.status };
      if (isServerError(appError.status)) {
        logSafely(ctx.logger, 'error', 'request failed', { ...base, error: serializeError(error) });
      } else if (ctx.logger.isLevelEnabled('debug')) {
        logSafely(ctx.logger, 'debug', 'request rejected', {
          ...base,
          code: appError.code,
          reason: appError.message,
        });
      }
      return errorResponse(appError);
    }
  };
}
