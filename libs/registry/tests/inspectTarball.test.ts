import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGzip, gzipSync } from 'node:zlib';
import { create } from 'tar';
import { describe, expect, it } from 'vitest';
import { inspectTarball } from '../src/publish/inspectTarball.ts';
import { makeTarball, TAR_END, tarHeader, tarPadding } from './support/tarball.ts';

const manifest = { name: 'demo', version: '1.0.0', scripts: { test: 'vitest' } };
const packageJson = JSON.stringify(manifest);

/** The tarball as a stream of small chunks, as a request body arrives. */
function streamOf(bytes: Buffer): AsyncIterable<Uint8Array> {
  return Readable.from(
    Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, i) =>
      bytes.subarray(i * 1000, (i + 1) * 1000),
    ),
  );
}

function inspect(bytes: Buffer, limits?: Parameters<typeof inspectTarball>[1]) {
  return inspectTarball(streamOf(bytes), limits);
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap and buffer bytes still reachable: garbage is collected first, so only what is held counts. */
function liveBytes(): number {
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function refusal(message: RegExp) {
  return { status: 400, code: 'EBADATTACHMENT', message: expect.stringMatching(message) };
}

describe('inspectTarball', () => {
  it('returns the package.json of a gzipped tar as npm pack makes it', async () => {
    await expect(
      inspect(makeTarball({ 'package.json': packageJson, 'big.bin': randomBytes(200_000) })),
    ).resolves.toEqual({ packageJson: manifest, hasGypFile: false });
  });

  it('finds package.json under a root folder with any name, as npm unpacks it', async () => {
    await expect(inspect(makeTarball({ 'package.json': packageJson }, 'node-demo'))).resolves.toMatchObject({
      packageJson: manifest,
    });
  });

  it('reads pax headers: a root folder name longer than a ustar header holds', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'inspect-tarball-'));
    const root = `r${'o'.repeat(150)}t`;
    await mkdir(join(dir, root));
    await writeFile(join(dir, root, 'package.json'), packageJson);
    try {
      const bytes = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        create({ gzip: true, cwd: dir, portable: true }, [root])
          .on('data', (chunk: Buffer) => chunks.push(chunk))
          .on('end', () => resolve(Buffer.concat(chunks)))
          .on('error', reject);
      });

      // Act / Assess
      await expect(inspect(bytes)).resolves.toMatchObject({ packageJson: manifest });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('notes a *.gyp file at the package root, where npm looks for it', async () => {
    await expect(
      inspect(makeTarball({ 'package.json': packageJson, 'binding.gyp': '{}' })),
    ).resolves.toMatchObject({
      hasGypFile: true,
    });
    await expect(
      inspect(makeTarball({ 'package.json': packageJson, 'deps/binding.gyp': '{}' })),
    ).resolves.toMatchObject({ hasGypFile: false });
  });

  it('refuses a gzip stream cut short', async () => {
    // Prepare
    const whole = makeTarball({ 'package.json': packageJson, 'noise.bin': randomBytes(20_000) });

    // Act / Assess
    await expect(inspect(whole.subarray(0, whole.length - 100))).rejects.toMatchObject(
      refusal(/damaged or incomplete gzip/),
    );
  });

  it('refuses a corrupt gzip stream', async () => {
    // Prepare
    const damaged = Buffer.from(makeTarball({ 'package.json': packageJson }));
    damaged.fill(0xff, 10, 30);

    // Act / Assess
    await expect(inspect(damaged)).rejects.toMatchObject({ status: 400 });
  });

  it('refuses gzip that holds no tar archive', async () => {
    for (const content of [Buffer.alloc(4096, 'x'), Buffer.from('short')]) {
      await expect(inspect(gzipSync(content))).rejects.toMatchObject(refusal(/holds no tar archive/));
    }
  });

  it('refuses a tar archive cut short inside an entry', async () => {
    // Prepare
    const data = randomBytes(4096);
    const tar = Buffer.concat([
      tarHeader('package/package.json', 17),
      Buffer.from('{"name":"demo"}  '),
      tarPadding(17),
    ]);
    const cut = Buffer.concat([tar, tarHeader('package/blob.bin', data.length), data.subarray(0, 1000)]);

    // Act / Assess
    await expect(inspect(gzipSync(cut))).rejects.toMatchObject(refusal(/holds no tar archive/));
  });

  it('stops inflating a stream that unpacks beyond the limit', async () => {
    await expect(
      inspect(gzipSync(Buffer.alloc(1_000_000)), { maxUnpackedBytes: 64 * 1024 }),
    ).rejects.toMatchObject(refusal(/unpacks to more than 65536 bytes/));
  });

  it('refuses a tarball without package.json at its package root', async () => {
    const cases: Array<Record<string, string>> = [{ 'index.js': '1' }, { 'lib/package.json': packageJson }];
    for (const files of cases) {
      await expect(inspect(makeTarball(files))).rejects.toMatchObject(refusal(/holds no package.json/));
    }
  });

  it('refuses two package.json files at the package root, as two root folders could hold them', async () => {
    // Prepare
    const first = Buffer.from(packageJson);
    const second = Buffer.from(JSON.stringify({ ...manifest, scripts: { postinstall: 'node steal.js' } }));
    const tar = Buffer.concat([
      tarHeader('package/package.json', first.length),
      first,
      tarPadding(first.length),
      tarHeader('other/package.json', second.length),
      second,
      tarPadding(second.length),
      TAR_END,
    ]);

    // Act / Assess
    await expect(inspect(gzipSync(tar))).rejects.toMatchObject(refusal(/more than one package.json/));
  });

  it('refuses a package.json that is a link', async () => {
    const tar = Buffer.concat([
      tarHeader('package/package.json', 0, { type: '2', linkpath: '../other.json' }),
      TAR_END,
    ]);
    await expect(inspect(gzipSync(tar))).rejects.toMatchObject(refusal(/is a link or a folder/));
  });

  it('refuses a package.json that is not a JSON object, too deep or too large', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"name": "demo",', /is not JSON/],
      ['["demo"]', /is not a JSON object/],
      [`{"a":${'['.repeat(100)}${']'.repeat(100)}}`, /nests deeper than 64 levels/],
      [JSON.stringify({ name: 'demo', description: 'x'.repeat(2048) }), /larger than 1024 bytes/],
    ];
    for (const [text, message] of cases) {
      await expect(
        inspect(makeTarball({ 'package.json': text }), { maxPackageJsonBytes: 1024 }),
      ).rejects.toMatchObject(refusal(message));
    }
  });

  // Memory is sampled as the content is read, every 4 MB, not on a timer: a full collection every
  // 50 ms made the test slower the busier the machine was (over 60 s on a loaded CI run).
  it('streams a 64 MB tarball through in bounded memory', { timeout: 180_000 }, async () => {
    // Prepare: incompressible content, made while it is read, so only the inspector could hold it;
    // four times the bound below, and stored rather than compressed, to keep the test cheap.
    const size = 64 * 1024 ** 2;
    const block = randomBytes(1024 ** 2);
    const json = Buffer.from(packageJson);
    const baseline = liveBytes();
    let peak = 0;
    async function* tar() {
      yield Buffer.concat([tarHeader('package/package.json', json.length), json, tarPadding(json.length)]);
      yield tarHeader('package/blob.bin', size);
      for (let written = 0; written < size; written += block.length) {
        if (written % (4 * block.length) === 0) peak = Math.max(peak, liveBytes() - baseline);
        yield block;
      }
      yield TAR_END;
    }
    const source = Readable.from(tar()).pipe(createGzip({ level: 0 }));

    // Act
    await expect(inspectTarball(source)).resolves.toMatchObject({ packageJson: manifest });

    // Assess: a few buffers at a time, not the 100 MB.
    expect(peak).toBeLessThan(16 * 1024 ** 2);
  });
});
