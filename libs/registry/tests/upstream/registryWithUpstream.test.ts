import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamProxyOptions } from '../../src/upstream/UpstreamProxy.ts';
import { json, type PackumentJson } from '../support/json.ts';
import { publishBody } from '../support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from '../support/startRegistry.ts';
import { makeTarball } from '../support/tarball.ts';
import { WRITER_TOKEN } from '../support/testAuth.ts';
import {
  startPausingUpstream,
  startUpstreamFixture,
  type UpstreamFixture,
} from './support/upstreamFixture.ts';

const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
let upstream: UpstreamFixture;
let registry: TestRegistry;

async function start(options: Partial<Omit<UpstreamProxyOptions, 'storage'>> = {}): Promise<TestRegistry> {
  registry = await startRegistry({ upstream: { url: upstream.url, privateScopes: ['@myorg'], ...options } });
  return registry;
}

beforeEach(async () => {
  upstream = await startUpstreamFixture();
  await upstream.publish('left-pad', '1.0.0');
  await upstream.publish('private-pkg', '99.0.0');
  await upstream.publish('@myorg/secret', '99.0.0');
});

afterEach(async () => {
  await registry?.close();
  await upstream.stop();
});

/** The registry's own objects, leaving out what the proxy keeps under `upstream/`. */
async function localObjects(): Promise<Map<string, string>> {
  const all = await registry.snapshot();
  return new Map([...all].filter(([key]) => !key.startsWith('upstream/')));
}

describe('the registry with an upstream', () => {
  it('serves upstream packages in both forms with its own tarball URLs, and their tarballs', async () => {
    // Prepare
    await start();

    // Act
    const full = await json(await registry.request('/left-pad'));
    const abbreviated = await registry.request('/left-pad', { headers: { accept: ABBREVIATED } });
    const version = await json<{ dist: { tarball: string } }>(await registry.request('/left-pad/latest'));
    const tarball = await registry.request('/left-pad/-/left-pad-1.0.0.tgz');
    const head = await registry.request('/left-pad/-/left-pad-1.0.0.tgz', { method: 'HEAD' });
    const etag = tarball.headers.get('etag')!;
    const again = await registry.request('/left-pad/-/left-pad-1.0.0.tgz', {
      headers: { 'if-none-match': etag },
    });

    // Assess
    expect(full.versions['1.0.0']?.dist.tarball).toBe(`${registry.url}/left-pad/-/left-pad-1.0.0.tgz`);
    expect(abbreviated.headers.get('content-type')).toBe('application/vnd.npm.install-v1+json');
    expect(abbreviated.headers.get('vary')).toMatch(/^accept\b/);
    expect(abbreviated.headers.get('warning')).toBeNull();
    expect(version.dist.tarball).toBe(`${registry.url}/left-pad/-/left-pad-1.0.0.tgz`);
    expect(tarball.status).toBe(200);
    expect(tarball.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await tarball.arrayBuffer()).byteLength).toBe(
      Number(head.headers.get('content-length')),
    );
    expect(head.status).toBe(200);
    expect(again.status).toBe(304);
  });

  it('asks the upstream once for 100 concurrent requests of an uncached package and its tarball', async () => {
    // Prepare
    await start();

    // Act
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        registry.request(index % 2 === 0 ? '/left-pad' : '/left-pad/-/left-pad-1.0.0.tgz', {
          headers: { accept: ABBREVIATED },
        }),
      ),
    );
    await Promise.all(responses.map((response) => response.arrayBuffer()));

    // Assess
    expect(responses.map((response) => response.status)).toEqual(Array(100).fill(200));
    expect(upstream.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /left-pad',
      'GET /left-pad/-/left-pad-1.0.0.tgz',
    ]);
  });

  it('cuts off an HTTP download whose bytes fail the digest mid-stream, short of its length, and stores nothing', async () => {
    // Prepare: an upstream that sends half of a tarball, then the rest with its last byte changed.
    const tarball = makeTarball({
      'package.json': JSON.stringify({ name: 'slow-pad', version: '1.0.0' }),
      'blob.bin': randomBytes(256 * 1024),
    });
    const tampered = Buffer.from(tarball);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;
    const pausing = await startPausingUpstream('slow-pad', tarball, tampered);
    registry = await startRegistry({ upstream: { url: pausing.url } });

    try {
      // Act
      const response = await registry.request('/slow-pad/-/slow-pad-1.0.0.tgz');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      pausing.resume();
      let received = first.value?.byteLength ?? 0;
      const failure = await (async () => {
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          received += next.value.byteLength;
        }
      })().catch((error: unknown) => error);

      // Assess: headers and the first bytes came before the upstream finished; the body never completed.
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(String(tarball.byteLength));
      expect(first.value?.byteLength).toBeGreaterThan(0);
      expect(failure).toBeInstanceOf(Error);
      expect(received).toBeLessThan(tarball.byteLength);
      expect([...(await registry.snapshot()).keys()].filter((key) => key.includes('tarballs/'))).toEqual([]);
    } finally {
      await pausing.stop();
    }
  });

  it('serves a package published here from here alone, never merged with the upstream', async () => {
    // Prepare
    await start({ allowPublishOverUpstream: ['private-pkg'] });
    expect((await publish(registry, publishBody('private-pkg', '1.0.0'))).status).toBe(201);

    // Act
    const document = await json(await registry.request('/private-pkg'));
    const abbreviated = await json(
      await registry.request('/private-pkg', { headers: { accept: ABBREVIATED } }),
    );
    const upstreamVersion = await registry.request('/private-pkg/99.0.0');
    const upstreamTarball = await registry.request('/private-pkg/-/private-pkg-99.0.0.tgz');

    // Assess: no read ever asked the upstream about the local package.
    expect(Object.keys(document.versions)).toEqual(['1.0.0']);
    expect(Object.keys(abbreviated.versions)).toEqual(['1.0.0']);
    expect(upstreamVersion.status).toBe(404);
    expect(upstreamTarball.status).toBe(404);
    expect(upstream.count('GET /private-pkg')).toBe(0);
  });

  it('lists dist-tags from the upstream for its packages and from here for local ones', async () => {
    // Prepare
    await start({ allowPublishOverUpstream: ['private-pkg'] });
    await upstream.publish('left-pad', '2.0.0-beta.1', {});
    await fetch(`${upstream.url}-/package/left-pad/dist-tags/next`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${WRITER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify('2.0.0-beta.1'),
    });
    expect((await publish(registry, publishBody('private-pkg', '1.0.0'))).status).toBe(201);
    const requestsBefore = upstream.requests.length;

    // Act
    const proxied = await registry.request('/-/package/left-pad/dist-tags');
    const local = await registry.request('/-/package/private-pkg/dist-tags');
    const secret = await registry.request('/-/package/@myorg%2fsecret/dist-tags');
    const unknown = await registry.request('/-/package/no-such-pad/dist-tags');

    // Assess
    expect(await proxied.json()).toEqual({ latest: '2.0.0-beta.1', next: '2.0.0-beta.1' });
    expect(proxied.headers.get('cache-control')).toBe('no-cache');
    expect(await local.json()).toEqual({ latest: '1.0.0' });
    expect([secret.status, unknown.status]).toEqual([404, 404]);
    expect(upstream.requests.slice(requestsBefore).map((request) => request.url)).toEqual([
      '/left-pad',
      '/no-such-pad',
    ]);
  });

  it('answers 404 for a private scope the upstream has, without asking it', async () => {
    // Prepare
    await start();

    // Act
    const packument = await registry.request('/@myorg%2fsecret');
    const version = await registry.request('/@myorg/secret/99.0.0');
    const tarball = await registry.request('/@myorg/secret/-/secret-99.0.0.tgz');

    // Assess
    expect([packument.status, version.status, tarball.status]).toEqual([404, 404, 404]);
    expect(await packument.json()).toMatchObject({ error: 'no such package available' });
    expect(upstream.requests).toEqual([]);
  });

  it('refuses to publish a name only the upstream has, and leaves storage as it was', async () => {
    // Prepare
    await start({ allowPublishOverUpstream: ['left-*'] });
    await publish(registry, publishBody('@myorg/tool', '1.0.0'));
    const before = await localObjects();

    // Act
    const refused = await publish(registry, publishBody('private-pkg', '1.0.0'));
    const after = await localObjects();
    const allowed = await publish(registry, publishBody('left-pad', '2.0.0'));
    const fork = await json<PackumentJson>(await registry.request('/left-pad'));

    // Assess
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: expect.stringMatching(/^private-pkg is a package on the upstream registry/),
    });
    expect(after).toEqual(before);
    expect(allowed.status).toBe(201);
    expect(Object.keys(fork.versions)).toEqual(['2.0.0']);
  });

  it('marks a packument served from its cache while the upstream is down as stale', async () => {
    // Prepare
    await start({ maxAgeMs: 0 });
    const fresh = await registry.request('/left-pad', { headers: { accept: ABBREVIATED } });
    await fresh.arrayBuffer();
    await upstream.stop();

    // Act
    const stale = await registry.request('/left-pad', { headers: { accept: ABBREVIATED } });
    const missing = await registry.request('/never-fetched');

    // Assess
    expect(stale.status).toBe(200);
    expect(stale.headers.get('warning')).toBe('110 - "Response is Stale"');
    expect(stale.headers.get('etag')).toBe(fresh.headers.get('etag'));
    expect(missing.status).toBe(503);
    expect(await missing.json()).toMatchObject({
      error: expect.stringMatching(
        /^the upstream registry is unavailable \(.+\) and never-fetched is not cached/,
      ),
    });
  });

  it('forwards npm audit bodies, gzip-compressed as npm sends them, without private packages', async () => {
    // Prepare
    await start({ allowPublishOverUpstream: ['private-pkg'] });
    await publish(registry, publishBody('private-pkg', '1.0.0'));
    upstream.audit = () => ({ status: 200, body: { 'left-pad': [] } });
    const body = { 'left-pad': ['1.0.0'], 'private-pkg': ['1.0.0'], '@myorg/tool': ['1.0.0'] };

    // Act
    const bulk = await registry.request('/-/npm/v1/security/advisories/bulk', {
      method: 'POST',
      headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' },
      body: gzipSync(JSON.stringify(body)),
    });
    const quick = await registry.request('/-/npm/v1/security/audits/quick', {
      method: 'POST',
      json: { name: 'app', requires: { 'private-pkg': '1.0.0' }, dependencies: {} },
    });

    // Assess
    expect(bulk.status).toBe(200);
    expect(await bulk.json()).toEqual({ 'left-pad': [] });
    expect(quick.status).toBe(200);
    const posts = upstream.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => [request.url, JSON.parse(request.body.toString())])).toEqual([
      ['/-/npm/v1/security/advisories/bulk', { 'left-pad': ['1.0.0'] }],
      ['/-/npm/v1/security/audits/quick', { name: 'app', requires: {}, dependencies: {} }],
    ]);
  });

  it('refuses audit bodies it cannot read', async () => {
    // Prepare
    await start();
    const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
      registry.request('/-/npm/v1/security/advisories/bulk', { method: 'POST', body, headers });

    // Act
    const notGzip = await post('plain', { 'content-encoding': 'gzip' });
    const notJson = await post('{');
    const notObject = await post('[1]');
    const bomb = await post(gzipSync(Buffer.alloc(65 * 1024 * 1024)), { 'content-encoding': 'gzip' });

    // Assess
    expect([notGzip.status, notJson.status, notObject.status, bomb.status]).toEqual([400, 400, 400, 413]);
    expect(await notGzip.json()).toMatchObject({
      error: 'the audit request body says gzip but is not a valid gzip stream',
    });
    expect(upstream.requests).toEqual([]);
  });
});

describe('the registry without an upstream', () => {
  it('answers 404 for unknown packages and 501 for npm audit', async () => {
    // Prepare
    registry = await startRegistry();

    // Act
    const packument = await registry.request('/left-pad');
    const tarball = await registry.request('/left-pad/-/left-pad-1.0.0.tgz');
    const audit = await registry.request('/-/npm/v1/security/advisories/bulk', { method: 'POST', json: {} });

    // Assess
    expect([packument.status, tarball.status, audit.status]).toEqual([404, 404, 501]);
    expect(await audit.json()).toMatchObject({
      error: expect.stringMatching(/^npm audit needs an upstream registry/),
    });
    expect(upstream.requests).toEqual([]);
  });
});
