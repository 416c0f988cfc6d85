import { Header } from '@myorg/constants';
import { isAppError } from '@myorg/error';
import type { HttpResponse } from '@myorg/response';
import type { Handler, Middleware } from './compose.ts';
import type { HttpRequest } from './HttpRequest.ts';
import { logSafely } from './logSafely.ts';
import type { RequestContext } from './RequestContext.ts';

/**
 * One structured line per request at info: method, path (never the query, which may hold
 * secrets), status, duration and size when known. Logging is synchronous but guarded and skipped
 * entirely when info is disabled, so it neither throws into nor holds up the request.
 */
export function requestLogging<C extends RequestContext = RequestContext>(): Middleware<C> {
  // Without info, the request passes straight through: no extra frame or promise per request.
  return (req, ctx, next) => (ctx.logger.isLevelEnabled('info') ? logged(req, ctx, next) : next(req, ctx));
}

async function logged<C extends RequestContext>(
  req: HttpRequest,
  ctx: C,
  next: Handler<C>,
): Promise<HttpResponse> {
  let response: HttpResponse;
  try {
    response = await next(req, ctx);
  } catch (error) {
    log(req, ctx, isAppError(error) ? error.status : 500, undefined);
    throw error;
  }
  log(req, ctx, response.status, response);
  return response;
}

function log(
  req: HttpRequest,
  ctx: RequestContext,
  status: number,
  response: HttpResponse | undefined,
): void {
  const fields: Record<string, unknown> = {
    requestId: ctx.requestId,
    method: req.method,
    path: req.path,
    status,
    durationMs: Math.round((performance.now() - ctx.startedAt) * 1000) / 1000,
  };
  const bytes = response === undefined ? undefined : bodyBytes(response);
  if (bytes !== undefined) fields.bytes = bytes;
  logSafely(ctx.logger, 'info', 'request', fields);
}

function bodyBytes({ headers, body }: HttpResponse): number | undefined {
  const declared = headers[Header.CONTENT_LENGTH];
  if (declared !== undefined) return Number(declared);
  if (body === undefined) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return undefined;
}
