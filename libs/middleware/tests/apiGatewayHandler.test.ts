import { Readable } from 'node:stream';
import { AppError } from '@myorg/error';
import { createLogger, memorySink } from '@myorg/logger';
import { json, redirect, stream } from '@myorg/response';
import { describe, expect, it } from 'vitest';
import {
  type ApiGatewayHttpEvent,
  createApiGatewayHandler,
  type Handler,
  type HttpRequest,
  LAMBDA_MAX_PAYLOAD_BYTES,
  type RequestContext,
} from '../src/index.ts';

/**
 * An event shaped as "Create AWS Lambda proxy integrations for HTTP APIs in API Gateway" shows
 * payload format 2.0 (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 */
function event(overrides: Partial<ApiGatewayHttpEvent> = {}, stage = '$default'): ApiGatewayHttpEvent {
  return {
    version: '2.0',
    rawPath: '/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https' },
    isBase64Encoded: false,
    requestContext: {
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      requestId: 'id-from-api-gateway',
      stage,
      http: { method: 'GET', path: '/my/path', sourceIp: '192.0.2.1' },
    },
    ...overrides,
  };
}

async function textOf(body: AsyncIterable<Uint8Array> | undefined): Promise<string | undefined> {
  if (body === undefined) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A handler that answers what it was handed, and the adapter around it. */
function echo() {
  const seen: { req?: HttpRequest; ctx?: RequestContext; body?: string } = {};
  const handler: Handler = async (req, ctx) => {
    seen.req = req;
    seen.ctx = ctx;
    seen.body = await textOf(req.body);
    return json(200, { ok: true });
  };
  const sink = memorySink();
  return {
    seen,
    records: sink.records,
    adapt: createApiGatewayHandler(handler, { logger: createLogger({ sink }) }),
  };
}

describe('createApiGatewayHandler: the request', () => {
  it('keeps the raw path and query, lower-case headers, the source IP and API Gateway request id', async () => {
    const { seen, adapt } = echo();
    await adapt(event({ rawPath: '/@scope%2fname' }));
    expect(seen.req).toMatchObject({
      method: 'GET',
      path: '/@scope%2fname',
      url: '/@scope%2fname?parameter1=value1&parameter1=value2&parameter2=value',
      remoteAddress: '192.0.2.1',
      body: undefined,
    });
    expect(seen.req?.query.getAll('parameter1')).toEqual(['value1', 'value2']);
    expect(seen.req?.headers.host).toBe('abc123.execute-api.us-east-1.amazonaws.com');
    expect(seen.ctx?.requestId).toBe('id-from-api-gateway');
  });

  it('joins the cookies field back into one Cookie header', async () => {
    const { seen, adapt } = echo();
    await adapt(event({ cookies: ['cookie1=a', 'cookie2=b'] }));
    expect(seen.req?.headers.cookie).toBe('cookie1=a; cookie2=b');
  });

  it('decodes a base64 body (binary) and passes a text body as UTF-8', async () => {
    const { seen, adapt } = echo();
    const put = { ...event().requestContext, http: { method: 'PUT', path: '/x', sourceIp: '192.0.2.1' } };
    await adapt(
      event({ body: Buffer.from('binäry').toString('base64'), isBase64Encoded: true, requestContext: put }),
    );
    expect(seen.body).toBe('binäry');
    await adapt(event({ body: '{"name":"ü"}', isBase64Encoded: false, requestContext: put }));
    expect(seen.body).toBe('{"name":"ü"}');
  });

  it('makes a named stage the path prefix and ignores the X-Forwarded-Host/-Prefix a client sent', async () => {
    const { seen, adapt } = echo();
    await adapt(
      event(
        {
          rawPath: '/prod/pkg',
          headers: {
            'x-forwarded-host': 'evil.example',
            'x-forwarded-prefix': '/evil',
            'x-forwarded-proto': 'https',
          },
        },
        'prod',
      ),
    );
    expect(seen.req?.path).toBe('/prod/pkg');
    expect(seen.req?.headers['x-forwarded-prefix']).toBe('/prod');
    expect(seen.req?.headers['x-forwarded-host']).toBeUndefined();
    expect(seen.req?.headers.host).toBe('abc123.execute-api.us-east-1.amazonaws.com');
    // `$default`, or a custom domain's API mapping (not in rawPath): no prefix.
    await adapt(event({ rawPath: '/pkg' }, 'prod'));
    expect(seen.req?.headers['x-forwarded-prefix']).toBeUndefined();
  });
});

describe('createApiGatewayHandler: the result', () => {
  const adapt = (response: Awaited<ReturnType<Handler>>) =>
    createApiGatewayHandler(async () => response, { logger: createLogger({ level: 'silent' }) });

  it('sends text as is and bytes as base64', async () => {
    expect(await adapt(json(200, { a: 1 }))(event())).toMatchObject({
      statusCode: 200,
      body: '{"a":1}',
      isBase64Encoded: false,
    });
    const bytes = Buffer.from([0x1f, 0x8b, 0x00, 0xff]);
    const result = await adapt({ status: 200, headers: { 'content-encoding': 'gzip' }, body: bytes })(
      event(),
    );
    expect(result).toMatchObject({ isBase64Encoded: true, headers: { 'content-encoding': 'gzip' } });
    expect(Buffer.from(result.body ?? '', 'base64')).toEqual(bytes);
  });

  it('collects a streamed body', async () => {
    const result = await adapt(stream(200, Readable.from([Buffer.from('ab'), Buffer.from('cd')]), {}))(
      event(),
    );
    expect(Buffer.from(result.body ?? '', 'base64').toString()).toBe('abcd');
  });

  it('sends no body for HEAD and releases the stream', async () => {
    const body = Readable.from([Buffer.from('ab')]);
    const head = { ...event().requestContext, http: { method: 'HEAD', path: '/x', sourceIp: '192.0.2.1' } };
    const result = await adapt(stream(200, body, { 'content-length': '2' }))(event({ requestContext: head }));
    expect(result.body).toBeUndefined();
    expect(body.destroyed).toBe(true);
  });

  it('moves Set-Cookie into the cookies field, where payload 2.0 expects it', async () => {
    const cookie = 'session=abc; Path=/; HttpOnly; SameSite=Strict';
    const result = await adapt(json(200, {}, { 'set-cookie': cookie }))(event());
    expect(result.cookies).toEqual([cookie]);
    expect(result.headers['set-cookie']).toBeUndefined();
  });

  it('passes a redirect through', async () => {
    expect(await adapt(redirect(302, 'https://bucket.example/key?X-Amz-Signature=1'))(event())).toMatchObject(
      {
        statusCode: 302,
        headers: { location: 'https://bucket.example/key?X-Amz-Signature=1' },
      },
    );
  });

  it('answers a 502 that says why, instead of a result Lambda cannot return (6 MB)', async () => {
    const big = Buffer.alloc(LAMBDA_MAX_PAYLOAD_BYTES);
    const result = await adapt({ status: 200, headers: {}, body: big })(event());
    expect(result.statusCode).toBe(502);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ error: expect.stringContaining('6 MB') });
  });

  it('maps an error that escapes the handler, and logs it', async () => {
    const sink = memorySink();
    const failing = createApiGatewayHandler(
      async () => {
        throw new AppError('teapot', { status: 418 });
      },
      { logger: createLogger({ sink }) },
    );
    expect((await failing(event())).statusCode).toBe(418);
    expect(sink.records.some((record) => record.msg === 'unhandled error in request handler')).toBe(true);
  });
});
