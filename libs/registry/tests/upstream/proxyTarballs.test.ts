import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FileSystemStorage, MemoryStorage, type ObjectStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { UpstreamProxy, type UpstreamProxyOptions } from '../../src/upstream/UpstreamProxy.ts';
import { makeTarball } from '../support/tarball.ts';
import { bytesOf, leftPadUpstreamPerTest } from './support/upstreamFixture.ts';

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

describe('upstream tarballs', () => {
  it('fetches a tarball once, verifies it, sends it from memory and keeps it in storage for later', async () => {
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
    expect(first?.body).toBeInstanceOf(Uint8Array);
    expect(secondBytes.equals(expected.bytes)).toBe(true);
    expect(second?.body).not.toBeInstanceOf(Uint8Array);
    expect(first?.size).toBe(expected.bytes.byteLength);
    expect(first?.etag).toBe(`"${expected.hex}"`);
    expect(head?.size).toBe(expected.bytes.byteLength);
    expect(fixture.upstream.count('GET /left-pad/-/')).toBe(1);
    expect(await storage.head(`upstream/tarballs/left-pad/1.0.0/${expected.hex}.tgz`)).toBeDefined();
  });

  it('sends a tarball over 1 MiB from storage once stored, not from memory', async () => {
    // Prepare: random bytes do not compress, so the tarball stays above the limit.
    await fixture.upstream.publish(
      'big-pad',
      '1.0.0',
      {},
      makeTarball({
        'package.json': JSON.stringify({ name: 'big-pad', version: '1.0.0' }),
        'blob.bin': randomBytes(1536 * 1024),
      }),
    );
    const storage = new FileSystemStorage(fixture.directory);
    const expected = await upstreamTarball('big-pad', '1.0.0');

    // Act
    const sent = await proxy(storage).openTarball('big-pad', '1.0.0');

    // Assess
    expect(sent?.body).not.toBeInstanceOf(Uint8Array);
    expect((await bytesOf(sent!.body)).equals(expected.bytes)).toBe(true);
    expect(sent?.size).toBe(expected.bytes.byteLength);
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

  it('discards a tarball that does not match its integrity: nothing is stored or served', async () => {
    // Prepare: the upstream's stored bytes no longer match what its packument promises.
    const storage = new FileSystemStorage(fixture.directory);
    const { key, bytes } = await upstreamTarball('left-pad', '1.0.0');
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;
    await fixture.upstream.storage.put(key, tampered);

    // Act
    const failure = await proxy(storage)
      .openTarball('left-pad', '1.0.0')
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status: 502, code: 'EINTEGRITY' });
    expect((failure as Error).message).toMatch(/left-pad-1\.0\.0\.tgz does not match its dist\.integrity/);
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
