import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiGatewayHttpEvent } from '@myorg/middleware';
import { addHook, recentDeliveries, SIGNATURE_HEADER, verifyWebhook } from '@myorg/registry';
import { listAll, storageFromUrl } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishBody } from '../../../../libs/registry/tests/support/publishBody.ts';
import { type S3Fixture, startS3rver } from '../../../../libs/storage/tests/support/s3rver.ts';
import { isScheduledEvent, startLambda } from '../../src/lambda/startLambda.ts';

let s3: S3Fixture;
let server: Server | undefined;

beforeAll(async () => {
  s3 = await startS3rver();
  for (const [name, value] of Object.entries(s3.env())) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  await s3?.stop();
});

/** An API Gateway HTTP API event (payload format 2.0) on the `$default` stage. */
function event(method: string, path: string, body?: unknown, token?: string): ApiGatewayHttpEvent {
  return {
    version: '2.0',
    rawPath: path,
    rawQueryString: '',
    headers: {
      'x-forwarded-proto': 'https',
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      requestId: `req-${method}-${path}`,
      stage: '$default',
      http: { method, path, sourceIp: '192.0.2.1' },
    },
  };
}

/** EventBridge's scheduled event, as the stack's rule sends it. */
const scheduledEvent = {
  version: '0',
  id: 'b4f8c2a0-0000-4000-8000-000000000000',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-12-07T12:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/drain'],
  detail: {},
};

/** A loopback receiver answering 500 to the first delivery and 200 to the rest. */
async function receiver(): Promise<{
  url: string;
  received: { headers: IncomingHttpHeaders; body: string }[];
}> {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(received.length === 1 ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 60; tries += 1) {
    if (await condition()) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('webhooks on Lambda', { timeout: 60_000 }, () => {
  it('stores a delivery before the publish answers, and the schedule retries a failed one until it is delivered and logged', async () => {
    // Prepare
    const bucket = await s3.createBucket();
    const storage = storageFromUrl(`s3://${bucket}/registry`);
    const { url, received } = await receiver();
    const secret = 'hook-secret-1';
    const hook = await addHook(storage, { target: '*', url, secret }, new Date());
    const { handler, scheduled } = await startLambda({
      REGISTRY_STORAGE: `s3://${bucket}/registry`,
      REGISTRY_ALLOW_REGISTRATION: 'true',
      LOG_LEVEL: 'silent',
    });
    const signUp = await handler(
      event('PUT', '/-/user/org.couchdb.user:hooker', {
        _id: 'org.couchdb.user:hooker',
        name: 'hooker',
        password: 'hooker-password-1',
        email: 'hooker@example.test',
        type: 'user',
      }),
    );
    const { token } = JSON.parse(signUp.body ?? '{}') as { token: string };
    const pending = async () => {
      const keys: string[] = [];
      for await (const { key } of listAll(storage, 'webhooks/pending/')) keys.push(key);
      return keys;
    };

    // Act: the publish answers once its delivery is stored, and the first attempt fails
    const published = await handler(event('PUT', '/hooked', publishBody('hooked', '1.0.0'), token));
    const storedBeforeAnswer = await pending();
    await until(async () => received.length === 1, 'the first attempt');
    // Then the schedule's invocations, as EventBridge would send them, until the retry is due and done
    await until(async () => {
      await scheduled();
      return received.length === 2 && (await pending()).length === 0;
    }, 'the retry');

    // Assess
    expect(published.statusCode).toBe(201);
    expect(storedBeforeAnswer).toHaveLength(1);
    expect(received.map(({ body }) => JSON.parse(body).id as string)).toEqual([
      expect.any(String),
      JSON.parse(received[0]?.body ?? '{}').id,
    ]);
    for (const { headers, body } of received) {
      expect(verifyWebhook(body, secret, headers[SIGNATURE_HEADER] as string | undefined)).toBe(true);
      expect(JSON.parse(body)).toMatchObject({ action: 'publish', package: 'hooked', version: '1.0.0' });
    }
    expect(await recentDeliveries(storage, hook.id)).toMatchObject([
      { action: 'publish', package: 'hooked', outcome: 'delivered', attempts: 2, result: '200' },
    ]);
    expect(isScheduledEvent(scheduledEvent)).toBe(true);
    expect(isScheduledEvent(event('GET', '/-/ping'))).toBe(false);
  });
});
