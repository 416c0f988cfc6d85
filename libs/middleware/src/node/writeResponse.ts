import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { Header, HttpStatus } from '@myorg/constants';
import { serializeError } from '@myorg/error';
import type { Logger } from '@myorg/logger';
import type { HttpResponse } from '@myorg/response';
import { logSafely } from '../logSafely.ts';
import { releaseBody } from '../releaseBody.ts';

/**
 * Sends an HttpResponse. Byte and text bodies take the fast path (one `writeHead` and one `end`
 * with an exact Content-Length); streams go through `pipeline`, which applies backpressure and
 * destroys the source when the client goes away.
 */
export function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: HttpResponse,
  logger: Logger,
): void {
  const { status, headers, body } = response;
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    headers[Header.CONTENT_LENGTH] ??= String(
      typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    );
    res.writeHead(status, headers);
    res.end(body);
    return;
  }
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || status === HttpStatus.NO_CONTENT || status === HttpStatus.NOT_MODIFIED) {
    res.end();
    releaseBody(body);
    return;
  }
  pipeline(body, res, (error) => {
    if (error === undefined || error === null) return;
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
      logSafely(logger, 'debug', 'client went away during a streamed response', { path: req.url });
    } else {
      logSafely(logger, 'error', 'streamed response failed', { path: req.url, error: serializeError(error) });
    }
  });
}
