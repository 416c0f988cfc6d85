import { isServerError } from '@myorg/constants';
import { serializeError, toAppError } from '@myorg/error';
import { errorResponse } from '@myorg/response';
import type { Middleware } from './compose.ts';
import { logSafely } from './logSafely.ts';
import type { RequestContext } from './RequestContext.ts';

export interface ErrorMappingOptions {
  /**
   * Turns an error of a lower layer (storage, say) into the error it means to a client before it is
   * answered; errors it does not know are returned as they are. One layer of the chain thereby does
   * both, rather than a second `try` and `await` per request.
   */
  translate?: (error: unknown) => unknown;
}

/**
 * Turns anything thrown further in into the npm-shaped error response. Server faults are logged at
 * error with their stack and causes (which stay out of the response); client errors only at debug.
 */
export function errorMapping<C extends RequestContext = RequestContext>(
  options: ErrorMappingOptions = {},
): Middleware<C> {
  const { translate } = options;
  return async (req, ctx, next) => {
    try {
      return await next(req, ctx);
    } catch (thrown) {
      const error = translate === undefined ? thrown : translate(thrown);
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
