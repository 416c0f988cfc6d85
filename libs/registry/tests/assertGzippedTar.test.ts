import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertGzippedTar } from '../src/publish/assertGzippedTar.ts';
import { makeTarball } from './support/tarball.ts';

/** The tarball as storage streams it back: in pieces, as a chunk boundary may fall anywhere. */
async function* streamed(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += 1000) yield bytes.subarray(offset, offset + 1000);
}

function check(bytes: Buffer, maxUnpackedBytes?: number): Promise<void> {
  return assertGzippedTar(streamed(bytes), maxUnpackedBytes);
}

describe('assertGzippedTar', () => {
  it('accepts a gzipped tar as npm pack makes it', async () => {
    await expect(
      check(makeTarball({ 'package.json': '{}', 'big.bin': randomBytes(200_000) })),
    ).resolves.toBeUndefined();
  });

  it('refuses a gzip stream cut short', async () => {
    // Prepare
    const whole = makeTarball({ 'package.json': '{}', 'noise.bin': randomBytes(20_000) });

    // Act / Assess
    await expect(check(whole.subarray(0, whole.length - 100))).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/damaged or incomplete gzip/),
    });
  });

  it('refuses a corrupt gzip stream', async () => {
    // Prepare
    const damaged = Buffer.from(makeTarball({ 'package.json': '{}' }));
    damaged.fill(0xff, 10, 30);

    // Act / Assess
    await expect(check(damaged)).rejects.toMatchObject({ status: 400 });
  });

  it('refuses gzip that holds no tar archive', async () => {
    for (const content of [Buffer.alloc(4096, 'x'), Buffer.from('short')]) {
      await expect(check(gzipSync(content))).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(/holds no tar archive/),
      });
    }
  });

  it('stops inflating a stream that unpacks beyond the limit', async () => {
    await expect(check(gzipSync(Buffer.alloc(1_000_000)), 64 * 1024)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/unpacks to more than 65536 bytes/),
    });
  });
});
