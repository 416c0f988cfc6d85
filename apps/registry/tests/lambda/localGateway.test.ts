import type { ApiGatewayHttpEvent } from '@myorg/middleware';
import { afterEach, describe, expect, it } from 'vitest';
import {
  API_GATEWAY_MAX_PAYLOAD_BYTES,
  type LocalGateway,
  startLocalGateway,
} from '../../src/lambda/localGateway.ts';
import type { LambdaHandler } from '../../src/lambda/startLambda.ts';

let gateway: LocalGateway | undefined;

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** A gateway whose function records each event and answers with `answer`. */
async function start(
  answer: LambdaHandler = async () => ({ statusCode: 204, headers: {}, isBase64Encoded: false }),
  stage?: string,
) {
  const events: ApiGatewayHttpEvent[] = [];
  gateway = await startLocalGateway({
    host: '127.0.0.1',
    port: 0,
    stage,
    handler: async (event) => {
      events.push(event);
      return answer(event);
    },
  });
  return { url: gateway.url, events };
}

describe('the local API Gateway (HTTP API, payload format 2.0)', () => {
  it('sends the event API Gateway sends: raw path and query, lower-case headers, cookies apart, binary as base64', async () => {
    const { url, events } = await start();
    await fetch(`${url}@scope%2fname?a=1&a=2`, {
      method: 'PUT',
      headers: { cookie: 'c1=x; c2=y', 'content-type': 'application/octet-stream', 'X-Custom': 'v' },
      body: Buffer.from([0, 1, 2, 255]),
    });
    const [event] = events;
    expect(event).toMatchObject({
      version: '2.0',
      rawPath: '/@scope%2fname',
      rawQueryString: 'a=1&a=2',
      cookies: ['c1=x', 'c2=y'],
      isBase64Encoded: true,
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      requestContext: { stage: '$default', http: { method: 'PUT', path: '/@scope%2fname' } },
    });
    expect(event?.headers['x-custom']).toBe('v');
    expect(event?.headers.cookie).toBeUndefined();
  });

  it('passes a JSON body as text, and decodes a base64 result', async () => {
    const { url, events } = await start(async () => ({
      statusCode: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from('bytes').toString('base64'),
      isBase64Encoded: true,
    }));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":"ü"}',
    });
    expect(events[0]).toMatchObject({ body: '{"a":"ü"}', isBase64Encoded: false });
    expect(await response.text()).toBe('bytes');
  });

  it('keeps a named stage in rawPath, and answers 404 as API Gateway does outside it', async () => {
    const { url, events } = await start(undefined, 'prod');
    expect(url).toMatch(/\/prod\/$/);
    await fetch(`${url}pkg`);
    expect(events[0]).toMatchObject({ rawPath: '/prod/pkg', requestContext: { stage: 'prod' } });
    const outside = await fetch(new URL('/pkg', url));
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({ message: 'Not Found' });
  });

  // "Quotas for configuring and running an HTTP API in API Gateway": payload size 10 MB
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
  it('refuses a body over 10 MB with its own 413, invoking nothing', async () => {
    const { url, events } = await start();
    const response = await fetch(url, {
      method: 'PUT',
      body: Buffer.alloc(API_GATEWAY_MAX_PAYLOAD_BYTES + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(events).toHaveLength(0);
  });

  // "Lambda quotas": 6 MB per synchronous invocation request and response
  // (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); a failed invocation is
  // an HTTP API's {"message":"Internal Server Error"}
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html).
  it('answers 500 when the event is over Lambda’s 6 MB, invoking nothing', async () => {
    const { url, events } = await start();
    const response = await fetch(url, { method: 'PUT', body: Buffer.alloc(7 * 1024 * 1024) });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    expect(events).toHaveLength(0);
  });

  it('answers 500 when the result is over 6 MB or the function fails', async () => {
    const { url } = await start(async (event) => {
      if (event.rawPath === '/fail') throw new Error('boom');
      return { statusCode: 200, headers: {}, body: 'x'.repeat(7 * 1024 * 1024), isBase64Encoded: false };
    });
    expect((await fetch(url)).status).toBe(500);
    expect((await fetch(`${url}fail`)).status).toBe(500);
  });
});
