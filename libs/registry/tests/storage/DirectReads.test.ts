import { createHash, randomBytes } from 'node:crypto';
import { S3Storage } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Fixture, startS3rver } from '../../../storage/tests/support/s3rver.ts';
import { publishBody } from '../support/publishBody.ts';
import { startRegistry, type TestRegistry } from '../support/startRegistry.ts';
import { WRITER_TOKEN } from '../support/testAuth.ts';
import { startUpstreamFixture } from '../upstream/support/upstreamFixture.ts';

// Lambda's response limit ("Lambda quotas", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html),
// made small here so a test packument passes it; the mechanism is the same.
const MAX_RESPONSE_BYTES = 64 * 1024;

let s3: S3Fixture;
let registry: TestRegistry;
let storage: S3Storage;

beforeAll(async () => {
  s3 = await startS3rver();
  storage = new S3Storage({ client: s3.client(), bucket: await s3.createBucket(), prefix: 'registry' });
  registry = await startRegistry({ storage, directReads: { maxResponseBytes: MAX_RESPONSE_BYTES } });
});

afterAll(async () => {
  await registry?.close();
  await s3?.stop();
});

async function publish(name: string, version: string, manifest: Record<string, unknown> = {}) {
  const response = await registry.request(`/${name}`, {
    method: 'PUT',
    token: WRITER_TOKEN,
    json: publishBody(name, version, { manifest }),
  });
  expect(response.status).toBe(201);
}

describe('direct reads (createRegistry `directReads`, as on Lambda)', () => {
  it('answers a tarball GET with a 302 to a signed storage URL that serves its bytes', async () => {
    await publish('direct-tarball', '1.0.0');
    const packument = (await (await registry.request('/direct-tarball')).json()) as {
      versions: Record<string, { dist: { tarball: string; shasum: string } }>;
    };
    const { tarball, shasum } = packument.versions['1.0.0']?.dist ?? { tarball: '', shasum: '' };

    const response = await fetch(tarball, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/X-Amz-Signature=/);
    const followed = await fetch(tarball);
    const bytes = Buffer.from(await followed.arrayBuffer());
    expect(followed.status).toBe(200);
    expect(createHash('sha1').update(bytes).digest('hex')).toBe(shasum);
    // HEAD and 304 stay with the registry: nothing to redirect.
    expect((await fetch(tarball, { method: 'HEAD', redirect: 'manual' })).status).toBe(200);
  });

  it('serves a small packument inline and a large one from a stored, compressed copy by 302', async () => {
    await publish('direct-small', '1.0.0');
    expect((await registry.request('/direct-small', { redirect: 'manual' })).status).toBe(200);

    // Random text does not compress: every encoding of the body stays over the limit.
    const padding = randomBytes(MAX_RESPONSE_BYTES).toString('base64');
    await publish('direct-large', '1.0.0', { engines: { padding } });
    const accept = { 'accept-encoding': 'gzip', accept: 'application/vnd.npm.install-v1+json' };
    // The publish stored both forms as npm asks for them (gzip), before any read.
    const rendered = (await storage.list({ prefix: 'rendered/direct-large/' })).objects.map(
      (object) => object.key,
    );
    expect(rendered).toEqual([
      expect.stringMatching(/\.gzip\.json$/),
      expect.stringMatching(/\.gzip\.json$/),
    ]);

    const first = await registry.request('/direct-large', { redirect: 'manual', headers: accept });
    expect(first.status).toBe(302);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const location = first.headers.get('location') ?? '';
    expect(rendered.map((key) => `/registry/${key}`)).toContain(
      new URL(location).pathname.replace(/^\/[^/]+/, ''),
    );
    const stored = await fetch(location);
    expect(stored.headers.get('content-encoding')).toBe('gzip');
    const document = (await stored.json()) as { versions: Record<string, { engines: { padding: string } }> };
    expect(document.versions['1.0.0']?.engines.padding).toBe(padding);

    // Read again: the same stored copy, nothing written anew.
    const second = await registry.request('/direct-large', { redirect: 'manual', headers: accept });
    expect(new URL(second.headers.get('location') ?? '').pathname).toBe(new URL(location).pathname);
    expect((await storage.list({ prefix: 'rendered/direct-large/' })).objects).toHaveLength(2);

    // A new version renders a new body, under a new key: a stored copy is never stale.
    await publish('direct-large', '1.0.1', { engines: { padding } });
    const third = await registry.request('/direct-large', { redirect: 'manual', headers: accept });
    expect(new URL(third.headers.get('location') ?? '').pathname).not.toBe(new URL(location).pathname);
    const latest = (await (await fetch(third.headers.get('location') ?? '')).json()) as { versions: object };
    expect(Object.keys(latest.versions)).toEqual(['1.0.0', '1.0.1']);
  });

  it('sends an upstream tarball to the verified copy it keeps, also while the upstream is down', async () => {
    const upstream = await startUpstreamFixture();
    const proxying = await startRegistry({
      storage: new S3Storage({ client: s3.client(), bucket: await s3.createBucket() }),
      directReads: { maxResponseBytes: MAX_RESPONSE_BYTES },
      upstream: { url: upstream.url },
    });
    try {
      await upstream.publish('left-pad', '1.0.0');
      const packument = (await (await proxying.request('/left-pad')).json()) as {
        versions: Record<string, { dist: { tarball: string; integrity: string } }>;
      };
      const { tarball, integrity } = packument.versions['1.0.0']?.dist ?? { tarball: '', integrity: '' };
      const path = new URL(tarball).pathname;
      const sha512 = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

      const first = await proxying.request(path, { redirect: 'manual' });
      const location = first.headers.get('location') ?? '';
      const followed = Buffer.from(await (await fetch(location)).arrayBuffer());
      await upstream.stop();
      const offline = await proxying.request(path, { redirect: 'manual' });

      expect(first.status).toBe(302);
      expect(new URL(location).pathname).toMatch(/\/upstream\/tarballs\/left-pad\/1\.0\.0\/[0-9a-f]+\.tgz$/);
      expect(sha512(followed)).toBe(integrity);
      expect(offline.status).toBe(302);
      expect(upstream.count('GET /left-pad/-/')).toBe(1);
    } finally {
      await proxying.close();
      await upstream.stop();
    }
  });

  it('refuses to start on a storage that cannot sign URLs', async () => {
    await expect(startRegistry({ directReads: { maxResponseBytes: MAX_RESPONSE_BYTES } })).rejects.toThrow(
      /signs URLs/,
    );
  });
});
