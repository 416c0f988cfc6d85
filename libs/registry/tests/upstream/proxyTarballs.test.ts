import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileSystemStorage, MemoryStorage, type ObjectStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { TarballMemory } from '../../src/storage/TarballMemory.ts';
import {
  UpstreamProxy,
  type UpstreamProxyOptions,
  type UpstreamTarball,
} from '../../src/upstream/UpstreamProxy.ts';
import { makeTarball } from '../support/tarball.ts';
import { bytesOf, leftPadUpstreamPerTest, startPausingUpstream } from './support/upstreamFixture.ts';

const fixture = leftPadUpstreamPerTest('upstream-tarballs-');

function proxy(storage: ObjectStorage, options: Partial<UpstreamProxyOptions> = {}): UpstreamProxy {
  return new UpstreamProxy({ url: fixture.upstream.url, storage, ...options });
}

/** The tarball bytes the upstream holds for a version, and their sha512 in hex. */
async function upstreamTarball(
  name: string,
  version: string,
): Promise<{ key: string; bytes: Buffer; hex: string }> {
  const prefix = `tarballs/${name}/${version}/`;
  const [object] = (await fixture.upstream.storage.list({ prefix })).objects;
  const bytes = (await fixture.upstream.storage.get(object!.key))!.body;
  return { key: object!.key, bytes, hex: createHash('sha512').update(bytes).digest('hex') };
}

/** The first chunk `body` yields, leaving the rest to read. */
async function firstBytesOf(body: Readable): Promise<Buffer> {
  const chunk: unknown = await new Promise((resolve, reject) => {
    body.once('readable', () => resolve(body.read()));
    body.once('error', reject);
  });
  return Buffer.from(chunk as Buffer);
}

/** A proxy of an upstream that pauses halfway through slow-pad's tarball, sending `sent(tarball)`. */
async function pausingProxy(sent: (tarball: Buffer) => Buffer) {
  const tarball = makeTarball({
    'package.json': JSON.stringify({ name: 'slow-pad', version: '1.0.0' }),
    'blob.bin': randomBytes(512 * 1024),
  });
  const upstream = await startPausingUpstream('slow-pad', tarball, sent(tarball));
  const storage = new FileSystemStorage(fixture.directory);
  return { tarball, upstream, storage, subject: new UpstreamProxy({ url: upstream.url, storage }) };
}

describe('upstream tarballs', () => {
  it('streams a tarball to the first client while storing it, and sends it from storage later', async () => {
    // Prepare
    const storage = new FileSystemStorage(fixture.directory);
    const subject = proxy(storage);
    const expected = await upstreamTarball('left-pad', '1.0.0');

    // Act
    const first = await subject.openTarball('left-pad', '1.0.0');
    const firstBytes = await bytesOf(first!.body);
    const second = await subject.openTarball('left-pad', '1.0.0');
    const secondBytes = await bytesOf(second!.body);
    const head = await subject.headTarball('left-pad', '1.0.0');

    // Assess
    expect(firstBytes.equals(expected.bytes)).toBe(true);
    expect(secondBytes.equals(expected.bytes)).toBe(true);
    expect(first?.size).toBe(expected.bytes.byteLength);
    expect(first?.etag).toBe(`"${expected.hex}"`);
    expect(head?.size).toBe(expected.bytes.byteLength);
    expect(fixture.upstream.count('GET /left-pad/-/')).toBe(1);
    // Once a client has the whole tarball, it is in storage.
    expect(await storage.head(`upstream/tarballs/left-pad/1.0.0/${expected.hex}.tgz`)).toBeDefined();
  });

  it('sends a stored tarball from memory once read, when given memory for tarballs', async () => {
    // Prepare
    const storage = new FileSystemStorage(fixture.directory);
    const subject = proxy(storage, { tarballMemory: new TarballMemory({ maxBytes: 1024 * 1024 }) });
    const expected = await upstreamTarball('left-pad', '1.0.0');
    await bytesOf((await subject.openTarball('left-pad', '1.0.0'))!.body);
    await storage.delete(`upstream/tarballs/left-pad/1.0.0/${expected.hex}.tgz`);

    // Act: the bytes kept from the download serve it, storage is not read.
    const sent = await subject.openTarball('left-pad', '1.0.0');

    // Assess
    expect(sent?.body).toBeInstanceOf(Uint8Array);
    expect((await bytesOf(sent!.body)).equals(expected.bytes)).toBe(true);
    expect(fixture.upstream.count('GET /left-pad/-/')).toBe(1);
  });

  it('hands the client bytes before the upstream has sent them all, and the rest once verified and stored', async () => {
    // Prepare: an upstream that sends the first half of a large tarball, then waits.
    const { tarball, upstream, storage, subject } = await pausingProxy((bytes) => bytes);

    try {
      // Act
      const sent = await subject.openTarball('slow-pad', '1.0.0');
      const body = sent!.body as Readable;
      const early = await firstBytesOf(body);
      const storedEarly = await storage.list({ prefix: 'upstream/tarballs/' });
      upstream.resume();
      const rest = await bytesOf(body);

      // Assess
      expect(early.byteLength).toBeGreaterThan(0);
      expect(storedEarly.objects).toEqual([]);
      expect(Buffer.concat([early, rest]).equals(tarball)).toBe(true);
      expect(sent?.size).toBe(tarball.byteLength);
      expect((await storage.list({ prefix: 'upstream/tarballs/' })).objects).toHaveLength(1);
    } finally {
      await upstream.stop();
    }
  });

  it('breaks off the client and stores nothing when the bytes fail the digest mid-stream', async () => {
    // Prepare: the upstream sends half, waits, then sends bytes that do not match the integrity.
    const { upstream, storage, subject } = await pausingProxy((bytes) => {
      const tampered = Buffer.from(bytes);
      tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;
      return tampered;
    });

    try {
      // Act
      const sent = await subject.openTarball('slow-pad', '1.0.0');
      const body = sent!.body as Readable;
      const early = await firstBytesOf(body);
      upstream.resume();
      const failure = await bytesOf(body).catch((error: unknown) => error);

      // Assess: the client saw some bytes, then an error, never the whole body.
      expect(early.byteLength).toBeGreaterThan(0);
      expect(failure).toMatchObject({ status: 502, code: 'EINTEGRITY' });
      expect((await storage.list({ prefix: 'upstream/tarballs/' })).objects).toEqual([]);
      expect(
        await readdir(join(fixture.directory, 'upstream', 'tarballs', 'slow-pad', '1.0.0')).catch(() => []),
      ).toEqual([]);
    } finally {
      await upstream.stop();
    }
  });

  it('cuts off a client that stops reading, and still stores the tarball for others', async () => {
    // Prepare: more than a client may lag behind (1 MiB), from an upstream with a short limit.
    await fixture.upstream.publish(
      'big-pad',
      '1.0.0',
      {},
      makeTarball({
        'package.json': JSON.stringify({ name: 'big-pad', version: '1.0.0' }),
        'blob.bin': randomBytes(3 * 1024 * 1024),
      }),
    );
    const storage = new FileSystemStorage(fixture.directory);
    const expected = await upstreamTarball('big-pad', '1.0.0');
    const subject = proxy(storage, { timeoutMs: 1500 });

    // Act: the first client never reads; a second comes once it is cut off.
    const stalled = await subject.openTarball('big-pad', '1.0.0');
    const body = stalled!.body as Readable;
    await new Promise((resolve) => body.once('close', resolve));
    const later = await subject.openTarball('big-pad', '1.0.0');

    // Assess
    expect(body.destroyed).toBe(true);
    expect((await bytesOf(later!.body)).equals(expected.bytes)).toBe(true);
    expect(fixture.upstream.count('GET /big-pad/-/')).toBe(1);
    expect(await storage.head(`upstream/tarballs/big-pad/1.0.0/${expected.hex}.tgz`)).toBeDefined();
  });

  it('shares one download among 100 concurrent requests for the same tarball', async () => {
    // Prepare
    const subject = proxy(new MemoryStorage());

    // Act
    const opened = await Promise.all(
      Array.from({ length: 100 }, () => subject.openTarball('left-pad', '1.0.0')),
    );
    const bodies = await Promise.all(opened.map((tarball) => bytesOf(tarball!.body)));

    // Assess
    expect(fixture.upstream.count('GET /left-pad/-/')).toBe(1);
    expect(fixture.upstream.count('GET /left-pad')).toBe(2);
    expect(new Set(bodies.map((bytes) => bytes.toString('base64'))).size).toBe(1);
  });

  it('discards a tarball that does not match its integrity: nothing is stored or served whole', async () => {
    // Prepare: the upstream's stored bytes no longer match what its packument promises.
    const storage = new FileSystemStorage(fixture.directory);
    const { key, bytes } = await upstreamTarball('left-pad', '1.0.0');
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;
    await fixture.upstream.storage.put(key, tampered);
    const subject = proxy(storage);

    // Act: the first client is streamed to, and cut off; one that came meanwhile gets the error.
    const opened = await Promise.all(
      [1, 2].map(() => subject.openTarball('left-pad', '1.0.0').catch((error: unknown) => error)),
    );
    const first = opened.find((answer) => !(answer instanceof Error)) as UpstreamTarball;
    const joined = opened.find((answer) => answer instanceof Error);
    const failure = await bytesOf(first.body).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status: 502, code: 'EINTEGRITY' });
    expect(joined).toMatchObject({ status: 502, code: 'EINTEGRITY' });
    expect((failure as Error).message).toMatch(/left-pad-1\.0\.0\.tgz does not match its dist\.integrity/);
    expect(fixture.upstream.count('GET /left-pad/-/')).toBe(1);
    expect((await storage.list({ prefix: 'upstream/tarballs/' })).objects).toEqual([]);
    // No temporary file is left behind either.
    expect(
      await readdir(join(fixture.directory, 'upstream', 'tarballs', 'left-pad', '1.0.0')).catch(() => []),
    ).toEqual([]);
  });

  it('refuses a tarball whose version has no checksum at all', async () => {
    // Prepare
    const document = JSON.parse(
      (await fixture.upstream.storage.get('packuments/left-pad.json'))!.body.toString(),
    );
    document.versions['1.0.0'].dist = { tarball: document.versions['1.0.0'].dist.tarball };
    fixture.upstream.documents.set('/left-pad', document);

    // Act
    const failure = await proxy(new MemoryStorage())
      .openTarball('left-pad', '1.0.0')
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status: 502, code: 'ENOINTEGRITY' });
    expect(fixture.upstream.count('GET /left-pad/-/')).toBe(0);
  });

  it('answers undefined for a version the upstream does not have, after checking for a newer document', async () => {
    // Prepare
    const subject = proxy(new MemoryStorage());
    await subject.packument('left-pad', 'abbreviated', 'http://x.test');

    // Act
    const missing = await subject.openTarball('left-pad', '9.9.9');
    await fixture.upstream.publish('left-pad', '1.1.0');
    const published = await subject.openTarball('left-pad', '1.1.0');

    // Assess
    expect(missing).toBeUndefined();
    expect(published).toBeDefined();
    await bytesOf(published!.body);
    expect(fixture.upstream.count('GET /left-pad/-/left-pad-1.1.0.tgz')).toBe(1);
    expect(fixture.upstream.count('GET /left-pad/-/left-pad-9.9.9.tgz')).toBe(0);
  });

  it('finds the version in a full document held from an earlier read', async () => {
    // Prepare
    const subject = proxy(new MemoryStorage());
    await subject.packument('left-pad', 'full', 'http://x.test');

    // Act
    const tarball = await subject.headTarball('left-pad', '1.0.0');

    // Assess
    expect(tarball).toBeDefined();
    expect(fixture.upstream.requests.filter((request) => request.url === '/left-pad')).toHaveLength(1);
  });

  it('answers 404 when the upstream lists a version but has no tarball for it', async () => {
    // Prepare
    const { key } = await upstreamTarball('left-pad', '1.0.0');
    await fixture.upstream.storage.delete(key);

    // Act
    const failure = await proxy(new MemoryStorage())
      .openTarball('left-pad', '1.0.0')
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status: 404, message: 'no such tarball: left-pad-1.0.0.tgz' });
  });
});
