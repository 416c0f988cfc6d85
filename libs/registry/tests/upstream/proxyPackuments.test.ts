import { MemoryStorage } from '@myorg/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamProxy, type UpstreamProxyOptions } from '../../src/upstream/UpstreamProxy.ts';
import { startUpstreamFixture, type UpstreamFixture } from './support/upstreamFixture.ts';

const BASE = 'http://registry.test/npm';
let upstream: UpstreamFixture;

beforeEach(async () => {
  upstream = await startUpstreamFixture();
  await upstream.publish('left-pad', '1.0.0', { description: 'pads' });
  await upstream.publish('@public/util', '2.0.0');
});

afterEach(async () => {
  await upstream.stop();
});

function proxy(options: Partial<UpstreamProxyOptions> = {}): UpstreamProxy {
  return new UpstreamProxy({ url: upstream.url, storage: new MemoryStorage(), ...options });
}

function parse(body: { bytes: Uint8Array } | undefined): Record<string, unknown> & {
  versions: Record<string, { dist: { tarball: string; integrity: string } }>;
} {
  if (body === undefined) throw new Error('no body');
  return JSON.parse(Buffer.from(body.bytes).toString('utf8'));
}

describe('upstream packuments', () => {
  it('serves a package the upstream has, with tarball URLs of this registry', async () => {
    // Act
    const proxied = await proxy().packument('left-pad', 'full', BASE);

    // Assess
    const document = parse(proxied?.body);
    expect(proxied?.stale).toBe(false);
    expect(document).toMatchObject({
      name: 'left-pad',
      description: 'pads',
      'dist-tags': { latest: '1.0.0' },
    });
    expect(document.versions['1.0.0']?.dist.tarball).toBe(`${BASE}/left-pad/-/left-pad-1.0.0.tgz`);
    expect(document.versions['1.0.0']?.dist.integrity).toMatch(/^sha512-/);
    expect(proxied?.body.contentType).toBe('application/json');
  });

  it('asks the upstream for the abbreviated form when the client asked for it, and stores one copy per package', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const subject = proxy({ storage });

    // Act
    const abbreviated = await subject.packument('@public/util', 'abbreviated', BASE);
    const full = await subject.packument('@public/util', 'full', BASE);
    const abbreviatedAgain = await subject.packument('@public/util', 'abbreviated', BASE);

    // Assess: the abbreviated copy cannot serve the full form, so that is fetched; it then serves both.
    const requests = upstream.requests.filter((request) => request.url === '/@public%2futil');
    expect(requests.map((request) => request.accept)).toEqual([
      'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*',
      'application/json',
    ]);
    expect(abbreviated?.body.contentType).toBe('application/vnd.npm.install-v1+json');
    expect(parse(abbreviated?.body)).not.toHaveProperty('time');
    expect(parse(full?.body)).toHaveProperty('time');
    expect(parse(abbreviated?.body).versions['2.0.0']?.dist.tarball).toBe(
      `${BASE}/@public/util/-/util-2.0.0.tgz`,
    );
    expect(abbreviatedAgain?.body.contentType).toBe('application/vnd.npm.install-v1+json');
    expect(parse(abbreviatedAgain?.body)).toEqual(parse(abbreviated?.body));
    const keys = (await storage.list({ prefix: 'upstream/' })).objects.map((object) => object.key);
    expect(keys).toEqual(['upstream/packuments/@public/util/packument.json']);
    const record = JSON.parse((await storage.get(keys[0] ?? ''))?.body.toString() ?? '');
    expect(record).toMatchObject({ form: 'full', etag: expect.stringMatching(/^"/) });
  });

  it('serves the abbreviated form from a full copy without asking the upstream', async () => {
    // Prepare
    const subject = proxy();
    await subject.packument('left-pad', 'full', BASE);

    // Act
    const abbreviated = await subject.packument('left-pad', 'abbreviated', BASE);
    const tags = await subject.distTags('left-pad');

    // Assess
    expect(upstream.count('GET /left-pad')).toBe(1);
    expect(abbreviated?.stale).toBe(false);
    const document = parse(abbreviated?.body);
    expect(Object.keys(document).sort()).toEqual(['dist-tags', 'modified', 'name', 'versions']);
    expect(document.versions['1.0.0']).not.toHaveProperty('description');
    expect(document.versions['1.0.0']?.dist.tarball).toBe(`${BASE}/left-pad/-/left-pad-1.0.0.tgz`);
    expect(JSON.parse(Buffer.from(tags?.body.bytes ?? []).toString())).toEqual({ latest: '1.0.0' });
  });

  it('serves the abbreviated form of a full copy from one body, compressed once, until the copy changes', async () => {
    // Prepare: enough versions that the abbreviated document is worth compressing.
    const dependencies = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`dep-${i}`, '^1.0.0']));
    for (let minor = 0; minor < 5; minor++) {
      await upstream.publish('wide-pad', `1.${minor}.0`, { dependencies });
    }
    const subject = proxy({ maxAgeMs: 0 });
    await subject.packument('wide-pad', 'full', BASE);

    // Act
    const first = await subject.packument('wide-pad', 'abbreviated', BASE);
    const again = await subject.packument('wide-pad', 'abbreviated', BASE);
    await upstream.publish('wide-pad', '2.0.0', { dependencies });
    const changed = await subject.packument('wide-pad', 'abbreviated', BASE);

    // Assess: a revalidation answered 304 keeps the body; a new document gets a new one.
    expect(again?.body).toBe(first?.body);
    expect(first?.body.compressible).toBe(true);
    expect(first?.body.encoded('gzip').byteLength).toBeLessThan(first?.body.bytes.byteLength ?? 0);
    expect(changed?.body).not.toBe(first?.body);
    expect(Object.keys(parse(changed?.body).versions)).toContain('2.0.0');
  });

  it('serves the full form from an abbreviated copy only while the upstream fails, marked stale', async () => {
    // Prepare
    const subject = proxy({ maxAgeMs: 0 });
    await subject.packument('left-pad', 'abbreviated', BASE);
    upstream.mode = 'fail';

    // Act
    const full = await subject.packument('left-pad', 'full', BASE);
    const version = await subject.version('left-pad', 'latest', BASE);

    // Assess
    expect(upstream.requests.map((request) => `${request.accept} ${request.status}`)).toEqual([
      'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */* 200',
      'application/json 500',
      'application/json 500',
    ]);
    expect(full?.stale).toBe(true);
    expect(full?.body.contentType).toBe('application/json');
    expect(parse(full?.body).versions['1.0.0']?.dist.tarball).toBe(`${BASE}/left-pad/-/left-pad-1.0.0.tgz`);
    expect(version?.stale).toBe(true);
  });

  it('shares one upstream request among 100 concurrent requests for an uncached package', async () => {
    // Prepare
    const subject = proxy();

    // Act
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => subject.packument('left-pad', 'abbreviated', BASE)),
    );

    // Assess
    expect(upstream.count('GET /left-pad')).toBe(1);
    expect(new Set(answers.map((answer) => answer?.body.etag)).size).toBe(1);
  });

  it('shares one request among concurrent callers even with a max age of 0', async () => {
    // Prepare
    const subject = proxy({ maxAgeMs: 0 });

    // Act
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => subject.packument('left-pad', 'abbreviated', BASE)),
    );

    // Assess
    expect(upstream.count('GET /left-pad')).toBe(1);
    expect(answers.every((answer) => answer?.stale === false)).toBe(true);
  });

  it('fetches the full form once more for a full request that joined an abbreviated fetch', async () => {
    // Prepare
    const subject = proxy();

    // Act
    const [abbreviated, full] = await Promise.all([
      subject.packument('left-pad', 'abbreviated', BASE),
      subject.packument('left-pad', 'full', BASE),
    ]);

    // Assess
    expect(upstream.requests.map((request) => request.accept)).toEqual([
      'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*',
      'application/json',
    ]);
    expect(parse(abbreviated?.body)).not.toHaveProperty('time');
    expect(parse(full?.body)).toHaveProperty('time');
    expect(full?.stale).toBe(false);
  });

  it('serves its copy without asking the upstream until the copy is older than the max age', async () => {
    // Prepare
    let now = 1_000_000;
    const subject = proxy({ maxAgeMs: 60_000, now: () => now });
    await subject.packument('left-pad', 'full', BASE);

    // Act
    now += 59_000;
    await subject.packument('left-pad', 'full', BASE);
    const beforeExpiry = upstream.count('GET /left-pad');
    now += 2_000;
    const revalidated = await subject.packument('left-pad', 'full', BASE);

    // Assess
    expect(beforeExpiry).toBe(1);
    const requests = upstream.requests.filter((request) => request.url === '/left-pad');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.ifNoneMatch).toMatch(/^"/);
    expect(requests[1]?.status).toBe(304);
    expect(revalidated?.stale).toBe(false);
  });

  it('picks up a version published upstream once its copy is revalidated', async () => {
    // Prepare
    const subject = proxy({ maxAgeMs: 0 });
    await subject.packument('left-pad', 'abbreviated', BASE);
    await upstream.publish('left-pad', '1.1.0');

    // Act
    const document = parse((await subject.packument('left-pad', 'abbreviated', BASE))?.body);

    // Assess
    expect(Object.keys(document.versions)).toEqual(['1.0.0', '1.1.0']);
    expect(upstream.requests.filter((request) => request.url === '/left-pad').map((r) => r.status)).toEqual([
      200, 200,
    ]);
  });

  it('answers undefined for a package the upstream does not have, and forgets one it no longer has', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const subject = proxy({ storage, maxAgeMs: 0 });
    await subject.packument('left-pad', 'full', BASE);
    await upstream.unpublish('left-pad');

    // Act
    const missing = await subject.packument('no-such-package', 'full', BASE);
    const removed = await subject.packument('left-pad', 'full', BASE);

    // Assess
    expect(missing).toBeUndefined();
    expect(removed).toBeUndefined();
    expect(await storage.head('upstream/packuments/left-pad/full.json')).toBeUndefined();
  });

  it('never asks the upstream about a private scope', async () => {
    // Prepare
    await upstream.publish('@myorg/secret', '99.0.0');
    const subject = proxy({ privateScopes: ['@MyOrg'] });

    // Act
    const packument = await subject.packument('@myorg/secret', 'full', BASE);
    const version = await subject.version('@myorg/secret', 'latest', BASE);
    const tarball = await subject.openTarball('@myorg/secret', '99.0.0');

    // Assess
    expect([packument, version, tarball]).toEqual([undefined, undefined, undefined]);
    expect(upstream.requests).toEqual([]);
    expect(subject.isPrivate('@myorg/secret')).toBe(true);
    expect(subject.isPrivate('@myorgs/other')).toBe(false);
  });

  it('serves one version by version or dist-tag, with its tarball URL under this registry', async () => {
    // Prepare
    const subject = proxy();

    // Act
    const byTag = await subject.version('@public/util', 'latest', BASE);
    const byVersion = await subject.version('@public/util', '2.0.0', BASE);
    const missing = await subject.version('@public/util', '3.0.0', BASE);
    const unknownPackage = await subject.version('no-such-package', '1.0.0', BASE);

    // Assess
    const manifest = parse(byTag?.body) as unknown as {
      name: string;
      version: string;
      dist: { tarball: string };
    };
    expect(manifest).toMatchObject({ name: '@public/util', version: '2.0.0' });
    expect(manifest.dist.tarball).toBe(`${BASE}/@public/util/-/util-2.0.0.tgz`);
    expect(byVersion?.body.etag).toBe(byTag?.body.etag);
    expect([missing, unknownPackage]).toEqual([undefined, undefined]);
  });

  it('leaves out versions that cannot be served through it', async () => {
    // Prepare: one version without dist, one with an invalid version number, one good.
    const good = JSON.parse((await upstream.storage.get('packuments/left-pad.json'))!.body.toString());
    const document = {
      ...good,
      versions: {
        ...good.versions,
        '2.0.0': { name: 'left-pad', version: '2.0.0' },
        'not-a-version': { ...good.versions['1.0.0'], version: 'not-a-version' },
      },
    };
    upstream.documents.set('/odd-pad', { ...document, _id: 'odd-pad', name: 'odd-pad' });

    // Act
    const served = parse((await proxy().packument('odd-pad', 'full', BASE))?.body);

    // Assess
    expect(Object.keys(served.versions)).toEqual(['1.0.0']);
    expect(served.versions['1.0.0']?.dist.tarball).toBe(`${BASE}/odd-pad/-/odd-pad-1.0.0.tgz`);
  });

  it('builds each base URL its own body and keeps memory within its bounds', async () => {
    // Prepare
    const subject = proxy({ maxCachedBytes: 2000 });

    // Act
    const here = await subject.packument('left-pad', 'full', BASE);
    const there = await subject.packument('left-pad', 'full', 'https://elsewhere.test');
    await subject.packument('@public/util', 'full', BASE);
    await subject.packument('left-pad', 'full', BASE);

    // Assess
    expect(parse(there?.body).versions['1.0.0']?.dist.tarball).toBe(
      'https://elsewhere.test/left-pad/-/left-pad-1.0.0.tgz',
    );
    expect(here?.body.etag).not.toBe(there?.body.etag);
    // left-pad was dropped for @public/util, then loaded again from storage, not from the upstream.
    expect(upstream.count('GET /left-pad')).toBe(1);
  });
});
