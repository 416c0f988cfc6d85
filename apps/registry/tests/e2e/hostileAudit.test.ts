import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsonError } from './support/expectJsonError.ts';
import { publishBody } from './support/fixtures.ts';
import { createUser, type HttpOptions, type HttpResult, request } from './support/httpClient.ts';
import { type RecordingFront, startRecordingFront } from './support/recordingFront.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { serverOutputOnFailure } from './support/serverOutputOnFailure.ts';
import { snapshotStorage } from './support/storageSnapshot.ts';

const BULK = '/-/npm/v1/security/advisories/bulk';
/** The proxy marks its upstream down after 3 consecutive failures: each body is sent this often. */
const SENDS = 3;

/** `depth` arrays inside each other under one package name. */
function deepBody(depth: number): string {
  return `{"deep-pkg":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** A bulk audit naming `count` distinct packages. */
function manyPackages(count: number): string {
  return JSON.stringify(
    Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, ['1.0.0']])),
  );
}

function gzipped(text: string): HttpOptions {
  return { method: 'POST', body: gzipSync(text), headers: { 'content-encoding': 'gzip' } };
}

/**
 * The longest a ping waited while `work` ran: the registry is one process with one event loop, so
 * a request that blocks it shows up as a ping that waits (before the bounds these bodies held it
 * for 7–26 s). The bound asserted is loose, as the machine running the tests may be loaded.
 */
async function maxPingWhile(server: RegistryServer, work: Promise<HttpResult>): Promise<number> {
  let done = false;
  const finished = work.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  let longest = 0;
  while (!done) {
    const started = performance.now();
    expect((await request(server, '/-/ping')).status).toBe(200);
    longest = Math.max(longest, performance.now() - started);
  }
  await finished;
  return longest;
}

const MAX_PING_MS = 2000;

describe('hostile npm audit bodies', () => {
  let upstream: RegistryServer;
  let front: RecordingFront;
  let proxy: RegistryServer;

  serverOutputOnFailure(() => [proxy]);

  /** The proxy still asks the upstream: a packument read (always revalidated here) reaches it. */
  const expectUpstreamAsked = async () => {
    const before = front.requests.length;
    const result = await request(proxy, '/public-dep');
    expect(result.status, result.text).toBe(200);
    expect(front.requests.slice(before)).toContain('GET /public-dep');
  };

  /** Sends `options` SENDS times: each answer is `status` with `message`, and the upstream stays usable. */
  const expectRefused = async (options: HttpOptions, status: number, message: RegExp) => {
    const before = await snapshotStorage(proxy.storage);
    for (let send = 0; send < SENDS; send += 1) {
      const result = await request(proxy, BULK, options);
      expectJsonError(result, status);
      expect((result.json as { error: string }).error).toMatch(message);
    }
    expect(await snapshotStorage(proxy.storage)).toEqual(before);
    expect(front.audits).toHaveLength(0);
    await expectUpstreamAsked();
  };

  beforeAll(async () => {
    upstream = await startRegistry();
    const token = await createUser(upstream, 'publisher');
    const published = await request(upstream, '/public-dep', {
      method: 'PUT',
      token,
      body: await publishBody('public-dep', '1.0.0'),
    });
    expect(published.status, published.text).toBe(201);
    front = await startRecordingFront(upstream.url);
    // Every read revalidates, so each one shows whether the proxy still asks its upstream.
    proxy = await startRegistry({ env: { REGISTRY_UPSTREAM: front.url, REGISTRY_UPSTREAM_MAX_AGE: '0s' } });
    await expectUpstreamAsked();
  }, 60_000);

  afterAll(async () => {
    await proxy?.stop();
    await front?.close();
    await upstream?.stop();
  });

  it('refuses a 10,000-deep body, plain or gzipped, as too deep', async () => {
    await expectRefused({ method: 'POST', body: deepBody(10_000) }, 400, /nests deeper than 64 levels/);
    await expectRefused(gzipped(deepBody(10_000)), 400, /nests deeper than 64 levels/);
  });

  it('refuses malformed JSON, a body that is not an object and bad gzip as the client’s 400', async () => {
    await expectRefused({ method: 'POST', body: '{"public-dep": [' }, 400, /not valid JSON/);
    await expectRefused({ method: 'POST', body: '["public-dep"]' }, 400, /must be a JSON object/);
    await expectRefused(
      { method: 'POST', body: '{"public-dep":["1.0.0"]}', headers: { 'content-encoding': 'gzip' } },
      400,
      /not a valid gzip stream/,
    );
  });

  it('stops unpacking a 60 MB gzip bomb at the limit without holding up other requests', async () => {
    // Prepare: about 60 KB on the wire.
    const bomb = gzipped(`{"public-dep":["${'1'.repeat(60 * 1024 * 1024)}"]}`);
    const sent = (bomb.body as Buffer).length;

    // Act
    const answer = request(proxy, BULK, bomb);
    const longestPing = await maxPingWhile(proxy, answer);

    // Assess
    const result = await answer;
    expectJsonError(result, 413);
    expect((result.json as { error: string }).error).toMatch(/unpacks to more than 16777216 bytes/);
    console.info(`gzip bomb (${sent} bytes, 60 MB unpacked): longest ping ${longestPing.toFixed(0)} ms`);
    expect(longestPing).toBeLessThan(MAX_PING_MS);
    await expectRefused(bomb, 413, /unpacks to more than/);
  });

  it('refuses a body under the size limit made of too many members, without holding up other requests', async () => {
    // Prepare: 700,000 package names, about 13 MB unpacked.
    const crowd = gzipped(manyPackages(700_000));

    // Act
    const answer = request(proxy, BULK, crowd);
    const longestPing = await maxPingWhile(proxy, answer);

    // Assess
    const result = await answer;
    expectJsonError(result, 413);
    expect((result.json as { error: string }).error).toMatch(/has more than 50000 object members/);
    console.info(`700,000 package names (13 MB unpacked): longest ping ${longestPing.toFixed(0)} ms`);
    expect(longestPing).toBeLessThan(MAX_PING_MS);
    await expectRefused(crowd, 413, /more than 50000 object members/);
  });

  it('still forwards a real audit after all of them', async () => {
    // Act
    const result = await request(proxy, BULK, gzipped('{"public-dep":["1.0.0"]}'));

    // Assess
    expect(result.status, result.text).toBe(200);
    expect(front.audits.map((audit) => audit.body)).toEqual([{ 'public-dep': ['1.0.0'] }]);
  });

  it('forwards an audit just under the member bound without holding up other requests', async () => {
    // Prepare: 49,000 packages, ten times the largest real trees.
    const largest = gzipped(manyPackages(49_000));

    // Act
    const answer = request(proxy, BULK, largest);
    const longestPing = await maxPingWhile(proxy, answer);

    // Assess
    const result = await answer;
    expect(result.status, result.text).toBe(200);
    expect(Object.keys(front.audits.at(-1)?.body as object)).toHaveLength(49_000);
    console.info(`49,000-package audit forwarded: longest ping ${longestPing.toFixed(0)} ms`);
    expect(longestPing).toBeLessThan(MAX_PING_MS);
  });
});
