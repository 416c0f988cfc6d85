import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ApiGatewayHttpEvent,
  type ApiGatewayHttpResult,
  LAMBDA_MAX_PAYLOAD_BYTES,
} from '@myorg/middleware';
import type { LambdaHandler } from './startLambda.ts';

/**
 * 10 MB, an HTTP API's payload quota ("Quotas for configuring and running an HTTP API in API
 * Gateway", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html):
 * a larger request body is refused by API Gateway with a 413 before any function runs.
 */
export const API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

// API Gateway's own answers. A failed invocation (an event or a result over Lambda's 6 MB, a
// function error) is an integration failure, which an HTTP API answers with this 500 ("Troubleshooting
// issues with HTTP API Lambda integrations",
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html).
const tooLarge = { status: 413, message: 'Request Entity Too Large' };
const integrationFailed = { status: 500, message: 'Internal Server Error' };
const notFound = { status: 404, message: 'Not Found' };

// Bodies API Gateway passes as text; everything else arrives base64-encoded.
const textType = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|x-www-form-urlencoded)\b)/i;

export interface LocalGatewayOptions {
  handler: LambdaHandler;
  host: string;
  port: number;
  /** A named stage: requests must start with `/<stage>`, which stays in `rawPath`. Default `$default`. */
  stage?: string;
}

export interface LocalGateway {
  /** The URL of the stage, with a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * A stand-in for an API Gateway HTTP API with a Lambda integration (payload format 2.0), for
 * `nx serve registry --lambda`: each request becomes the event API Gateway would send, the handler
 * is invoked with it as Lambda would (JSON in, JSON out), and the limits both enforce are enforced
 * here with the answers they give, so a local run shows what a deployment shows.
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const stage = options.stage ?? '$default';
  const server = createServer((req, res) => {
    void serve(req, res, options.handler, stage).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/${stage === '$default' ? '' : `${stage}/`}`,
    close: () => close(server),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: LambdaHandler, stage: string) {
  const body = await readBody(req);
  if (body === undefined) return answer(res, tooLarge);
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  if (stage !== '$default' && rawPath !== `/${stage}` && !rawPath.startsWith(`/${stage}/`)) {
    return answer(res, notFound);
  }
  const payload = JSON.stringify(
    toEvent(req, rawPath, queryStart === -1 ? '' : url.slice(queryStart + 1), body, stage),
  );
  if (Buffer.byteLength(payload) > LAMBDA_MAX_PAYLOAD_BYTES) return answer(res, integrationFailed);
  let result: string;
  try {
    // Lambda hands the function a parsed copy of the event, and serialises what it returns.
    result = JSON.stringify(await handler(JSON.parse(payload)));
  } catch {
    return answer(res, integrationFailed);
  }
  if (Buffer.byteLength(result) > LAMBDA_MAX_PAYLOAD_BYTES) return answer(res, integrationFailed);
  const {
    statusCode,
    headers,
    cookies,
    body: resultBody,
    isBase64Encoded,
  } = JSON.parse(result) as ApiGatewayHttpResult;
  const bytes = Buffer.from(resultBody ?? '', isBase64Encoded ? 'base64' : 'utf8');
  // API Gateway sends each of the result's cookies as a Set-Cookie header.
  res.writeHead(statusCode, {
    ...headers,
    ...(cookies === undefined ? {} : { 'set-cookie': cookies }),
    'content-length': bytes.byteLength,
  });
  res.end(bytes);
}

/** The whole body, or undefined once it passes API Gateway's limit (the rest is drained unread). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > API_GATEWAY_MAX_PAYLOAD_BYTES) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > API_GATEWAY_MAX_PAYLOAD_BYTES) {
      req.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

function toEvent(
  req: IncomingMessage,
  rawPath: string,
  rawQueryString: string,
  body: Buffer,
  stage: string,
): ApiGatewayHttpEvent {
  // Lower-case names, repeats joined with commas; cookies travel apart.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  const text = textType.test(req.headers['content-type'] ?? '');
  const event: ApiGatewayHttpEvent = {
    version: '2.0',
    rawPath,
    rawQueryString,
    headers,
    isBase64Encoded: body.byteLength > 0 && !text,
    requestContext: {
      domainName: req.headers.host ?? 'localhost',
      requestId: randomUUID(),
      stage,
      http: { method: req.method ?? 'GET', path: rawPath, sourceIp: req.socket.remoteAddress ?? '' },
    },
  };
  if (req.headers.cookie !== undefined) event.cookies = req.headers.cookie.split(/;\s*/);
  if (body.byteLength > 0) event.body = body.toString(text ? 'utf8' : 'base64');
  return event;
}

function answer(res: ServerResponse, { status, message }: { status: number; message: string }): void {
  const body = JSON.stringify({ message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
