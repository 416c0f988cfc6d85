import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, serializeError } from '@myorg/error';
import type { Logger } from '@myorg/logger';
import { errorResponse } from '@myorg/response';
import type { Handler } from '../compose.ts';
import { logSafely } from '../logSafely.ts';
import { createRequestContext } from '../RequestContext.ts';
import { discardRest } from './discardRest.ts';
import { toHttpRequest } from './toHttpRequest.ts';
import { writeResponse } from './writeResponse.ts';

export interface NodeListenerOptions {
  logger: Logger;
  /** Take the client address from `X-Forwarded-For`; only behind a proxy that sets it. Defaults to false. */
  trustProxy?: boolean;
  /** Answer 431 when the request's header lines add up to more than this many bytes. */
  maxHeaderBytes?: number;
}

/**
 * Adapts a handler to `http.createServer`. The handler should map its own errors (see
 * `errorMapping`); anything that still escapes is logged and answered with the error response
 * (a 500 for anything that is not an AppError), or the connection is cut if headers already left.
 */
export function createNodeListener(
  handler: Handler,
  options: NodeListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { logger, trustProxy = false, maxHeaderBytes } = options;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (maxHeaderBytes !== undefined && headerBytes(req.rawHeaders) > maxHeaderBytes) {
        throw new AppError('request header fields too large', { status: 431 });
      }
      const request = toHttpRequest(req, trustProxy);
      if (request.body !== undefined) res.once('finish', () => discardRest(req));
      writeResponse(req, res, await handler(request, createRequestContext(logger)), logger);
    } catch (error) {
      logSafely(logger, 'error', 'unhandled error in request handler', {
        method: req.method,
        path: req.url,
        error: serializeError(error),
      });
      if (!res.headersSent) {
        try {
          writeResponse(req, res, errorResponse(error), logger);
          return;
        } catch {
          // Fall through: a response that cannot even carry the error is cut off.
        }
      }
      res.destroy();
    }
  }

  return (req, res) => {
    void serve(req, res);
  };
}

function headerBytes(rawHeaders: readonly string[]): number {
  // Each line is `name: value\r\n`: a name is followed by two bytes, and so is a value.
  let total = 0;
  for (const part of rawHeaders) total += part.length + 2;
  return total;
}
