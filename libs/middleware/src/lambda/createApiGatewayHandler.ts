import { Readable } from 'node:stream';
import { Header, HttpStatus } from '@myorg/constants';
import { BadGatewayError, serializeError } from '@myorg/error';
import type { Logger } from '@myorg/logger';
import { errorResponse, type HttpResponse } from '@myorg/response';
import type { Handler } from '../compose.ts';
import type { HttpRequest } from '../HttpRequest.ts';
import { logSafely } from '../logSafely.ts';
import { createRequestContext } from '../RequestContext.ts';
import { releaseBody } from '../releaseBody.ts';
import type { ApiGatewayHttpEvent, ApiGatewayHttpResult } from './apiGatewayTypes.ts';

/**
 * 6 MB, Lambda's limit on a synchronous invocation's request and its response each ("Lambda
 * quotas", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html): the whole
 * event or result document, a base64 body included. Beyond it the invocation fails.
 */
export const LAMBDA_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** What the result document adds to its body: status, headers and JSON punctuation, generously. */
const RESULT_ENVELOPE_BYTES = 16 * 1024;

export interface ApiGatewayHandlerOptions {
  logger: Logger;
}

/**
 * Adapts a handler to an API Gateway HTTP API (payload format 2.0) Lambda integration: the event
 * becomes an `HttpRequest` and a fresh `RequestContext` (with API Gateway's request id), the
 * `HttpResponse` the result; a streamed body is collected, bytes go base64. The public location
 * comes from the request: API Gateway's domain and, for a named stage, the stage as path prefix
 * (`X-Forwarded-Prefix`), so tarball URLs keep `/<stage>`. A result Lambda could not return is
 * answered with a 502 that says so, instead of an invocation error the client sees as a bare 500.
 */
export function createApiGatewayHandler(
  handler: Handler,
  options: ApiGatewayHandlerOptions,
): (event: ApiGatewayHttpEvent) => Promise<ApiGatewayHttpResult> {
  const { logger } = options;
  return async (event) => {
    const request = toHttpRequest(event);
    let response: HttpResponse;
    try {
      response = await handler(request, createRequestContext(logger, event.requestContext.requestId));
    } catch (error) {
      logSafely(logger, 'error', 'unhandled error in request handler', {
        method: request.method,
        path: request.path,
        error: serializeError(error),
      });
      response = errorResponse(error);
    }
    const result = await toResult(request.method, response);
    if ((result.body?.length ?? 0) + RESULT_ENVELOPE_BYTES <= LAMBDA_MAX_PAYLOAD_BYTES) return result;
    logSafely(logger, 'error', 'response too large for Lambda', {
      method: request.method,
      path: request.path,
      status: result.statusCode,
      bytes: result.body?.length,
    });
    return toResult(
      request.method,
      errorResponse(new BadGatewayError('the response is larger than AWS Lambda can return (6 MB)')),
    );
  };
}

/** The stage as a path prefix, when the path carries it (a named stage on the API's own domain). */
function stagePrefix(event: ApiGatewayHttpEvent): string | undefined {
  const { stage } = event.requestContext;
  if (stage === '$default' || stage === '') return undefined;
  const prefix = `/${stage}`;
  return event.rawPath === prefix || event.rawPath.startsWith(`${prefix}/`) ? prefix : undefined;
}

function toHttpRequest(event: ApiGatewayHttpEvent): HttpRequest {
  const query = event.rawQueryString;
  // API Gateway itself names the host, the protocol and the stage: what a client sent as
  // X-Forwarded-Host or -Prefix would otherwise steer the URLs the registry writes.
  const headers: Record<string, string | undefined> = {
    ...event.headers,
    [Header.HOST]: event.requestContext.domainName,
    [Header.X_FORWARDED_HOST]: undefined,
    [Header.X_FORWARDED_PREFIX]: stagePrefix(event),
  };
  if (event.cookies !== undefined && event.cookies.length > 0) headers.cookie = event.cookies.join('; ');
  const body =
    event.body === undefined || event.body === ''
      ? undefined
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return {
    method: event.requestContext.http.method.toUpperCase(),
    url: query === '' ? event.rawPath : `${event.rawPath}?${query}`,
    path: event.rawPath,
    query: new URLSearchParams(query),
    headers,
    body: body && Readable.from([body]),
    remoteAddress: event.requestContext.http.sourceIp,
  };
}

async function toResult(method: string, response: HttpResponse): Promise<ApiGatewayHttpResult> {
  const { status, body } = response;
  const { [Header.SET_COOKIE]: cookie, ...headers } = response.headers;
  const result: ApiGatewayHttpResult = { statusCode: status, headers, isBase64Encoded: false };
  if (cookie !== undefined) result.cookies = [cookie];
  if (body === undefined) return result;
  const bodyless =
    method === 'HEAD' || status === HttpStatus.NO_CONTENT || status === HttpStatus.NOT_MODIFIED;
  if (typeof body === 'string') {
    if (!bodyless) result.body = body;
    return result;
  }
  if (bodyless) {
    if (!(body instanceof Uint8Array)) releaseBody(body);
    return result;
  }
  const bytes = body instanceof Uint8Array ? body : await collect(body);
  result.body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  result.isBase64Encoded = true;
  return result;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}
