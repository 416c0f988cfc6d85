import { randomBytes } from 'node:crypto';
import type { DirectUpload } from '@myorg/services';
import { MemoryStorage, S3Storage } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Fixture, startS3rver } from '../../storage/tests/support/s3rver.ts';
import { TarballStore } from '../src/storage/TarballStore.ts';
import { type ErrorJson, json } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';
import { makeTarball } from './support/tarball.ts';
import { OTHER_WRITER_TOKEN, READER_TOKEN, WRITER_TOKEN } from './support/testAuth.ts';

const MAX_UPLOAD_BYTES = 64 * 1024;

/** A tarball that does not compress, so its size on the wire is what the test says. */
function tarballOf(name: string, version: string, filler: number, manifest: Record<string, unknown> = {}) {
  return makeTarball({
    'package.json': JSON.stringify({ name, version, ...manifest }),
    'filler.bin': randomBytes(filler).toString('base64'),
  });
}

/** npm's publish body, its attachment naming upload `id` in place of base64 data. */
function committing(id: string, body: ReturnType<typeof publishBody>) {
  for (const attachment of Object.values(body._attachments)) {
    Object.assign(attachment, { data: undefined, upload: id });
  }
  return JSON.parse(JSON.stringify(body)) as ReturnType<typeof publishBody>;
}

let s3: S3Fixture;
let registry: TestRegistry;

beforeAll(async () => {
  s3 = await startS3rver();
  const storage = new S3Storage({ client: s3.client(), bucket: await s3.createBucket(), prefix: 'registry' });
  registry = await startRegistry({ storage, maxUploadBytes: MAX_UPLOAD_BYTES });
});

afterAll(async () => {
  await registry?.close();
  await s3?.stop();
});

async function offer(token = WRITER_TOKEN): Promise<DirectUpload> {
  const response = await registry.request('/-/myorg/v1/uploads', { method: 'POST', token });
  expect(response.status).toBe(201);
  return json<DirectUpload>(response);
}

async function upload(offered: DirectUpload, bytes: Buffer): Promise<void> {
  const response = await fetch(offered.url, {
    method: offered.method,
    headers: offered.headers,
    body: bytes,
  });
  expect(response.status).toBe(200);
}

async function pendingKeys(): Promise<string[]> {
  const page = await registry.storage.list({ prefix: 'pending/' });
  return page.objects.map((object) => object.key);
}

describe('direct uploads on S3 storage', () => {
  it('publishes a tarball uploaded to a signed URL, and leaves nothing pending', async () => {
    const tarball = tarballOf('big', '1.0.0', 30_000);
    const offered = await offer();
    expect(offered.method).toBe('PUT');
    expect(offered.maxBytes).toBe(MAX_UPLOAD_BYTES);
    expect(Date.parse(offered.expiresAt)).toBeGreaterThan(Date.now());
    await upload(offered, tarball);

    const response = await publish(
      registry,
      committing(offered.id, publishBody('big', '1.0.0', { tarball })),
    );
    expect(response.status).toBe(201);
    const served = await registry.request('/big/-/big-1.0.0.tgz');
    expect(Buffer.from(await served.arrayBuffer()).equals(tarball)).toBe(true);
    expect(await pendingKeys()).toEqual([]);
  });

  it('asks for a writer', async () => {
    expect((await registry.request('/-/myorg/v1/uploads', { method: 'POST' })).status).toBe(401);
    const reader = await registry.request('/-/myorg/v1/uploads', { method: 'POST', token: READER_TOKEN });
    expect(reader.status).toBe(403);
  });

  it("refuses another user's upload without using it up, and a second commit of one", async () => {
    const tarball = tarballOf('owned', '1.0.0', 100);
    const offered = await offer();
    await upload(offered, tarball);
    const body = committing(offered.id, publishBody('owned', '1.0.0', { tarball }));

    const foreign = await publish(registry, body, OTHER_WRITER_TOKEN);
    expect(foreign.status).toBe(403);
    expect((await json<ErrorJson>(foreign)).error).toMatch(/offered to another user/);
    expect((await publish(registry, body)).status).toBe(201);

    const again = await publish(registry, body);
    expect(again.status).toBe(404);
    expect((await json<ErrorJson>(again)).error).toMatch(/unknown, already committed or expired/);
  });

  it('refuses an upload whose integrity is not the manifest’s, and uses it up', async () => {
    const tarball = tarballOf('checked', '1.0.0', 100);
    const offered = await offer();
    await upload(offered, tarball);
    const body = committing(offered.id, publishBody('checked', '1.0.0', { tarball }));
    const other = publishBody('checked', '1.0.0', { tarball: tarballOf('checked', '1.0.0', 100) });
    body.versions['1.0.0']!.dist = other.versions['1.0.0']!.dist;

    const response = await publish(registry, body);
    expect(response.status).toBe(400);
    expect((await json<ErrorJson>(response)).code).toBe('ESHASUM');
    expect((await registry.request('/checked')).status).toBe(404);
    expect(await pendingKeys()).toEqual([]);
  });

  it('refuses a manifest that differs from the package.json in the uploaded tarball', async () => {
    const tarball = tarballOf('honest', '1.0.0', 100, { dependencies: { left: '1.0.0' } });
    const offered = await offer();
    await upload(offered, tarball);
    const body = committing(
      offered.id,
      publishBody('honest', '1.0.0', { tarball, manifest: { dependencies: { right: '1.0.0' } } }),
    );
    const response = await publish(registry, body);
    expect(response.status).toBe(400);
    expect((await json<ErrorJson>(response)).error).toMatch(/"dependencies" differs/);
  });

  it('refuses an upload above the limit before reading it, and removes it', async () => {
    const tarball = tarballOf('huge', '1.0.0', MAX_UPLOAD_BYTES);
    const offered = await offer();
    await upload(offered, tarball);
    const response = await publish(
      registry,
      committing(offered.id, publishBody('huge', '1.0.0', { tarball })),
    );
    expect(response.status).toBe(413);
    expect(await pendingKeys()).toEqual([]);
  });

  it('sweeps an upload never committed, with its record', async () => {
    const tarball = tarballOf('abandoned', '1.0.0', 100);
    const offered = await offer();
    await upload(offered, tarball);
    expect(await pendingKeys()).toHaveLength(2);

    // As the temporary sweep does once they are older than REGISTRY_TEMPORARY_MAX_AGE.
    await new TarballStore(registry.storage).sweepStaged(-60_000);

    expect(await pendingKeys()).toEqual([]);
    const late = await publish(
      registry,
      committing(offered.id, publishBody('abandoned', '1.0.0', { tarball })),
    );
    expect(late.status).toBe(404);
  });

  it('refuses a commit before the upload, a made-up id, and data besides an upload', async () => {
    const early = await offer();
    const tarball = tarballOf('early', '1.0.0', 100);
    const before = await publish(registry, committing(early.id, publishBody('early', '1.0.0', { tarball })));
    expect(before.status).toBe(400);
    expect((await json<ErrorJson>(before)).error).toMatch(/nothing was uploaded/);

    const invented = committing('../../tarballs/x', publishBody('early', '1.0.0', { tarball }));
    expect((await publish(registry, invented)).status).toBe(400);

    const both = publishBody('early', '1.0.0', { tarball });
    for (const attachment of Object.values(both._attachments))
      Object.assign(attachment, { upload: early.id });
    const response = await publish(registry, both);
    expect(response.status).toBe(400);
    expect((await json<ErrorJson>(response)).error).toMatch(/not both/);
  });
});

describe('direct uploads on storage that cannot sign URLs', () => {
  it('are not offered: the route is unknown', async () => {
    const plain = await startRegistry({ storage: new MemoryStorage() });
    try {
      const response = await plain.request('/-/myorg/v1/uploads', { method: 'POST', token: WRITER_TOKEN });
      expect(response.status).toBe(404);
      const tarball = tarballOf('plain', '1.0.0', 100);
      const commit = committing(
        '00000000-0000-4000-8000-000000000000',
        publishBody('plain', '1.0.0', { tarball }),
      );
      expect((await publish(plain, commit)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
