import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigester, integrityMatches, integrityOf, sha1Hex } from '../src/index.ts';

const run = promisify(execFile);

// Expectations come from node:crypto directly, never from the functions under test.
const digestOf = (algorithm: string, data: Uint8Array | string, encoding: 'hex' | 'base64') =>
  createHash(algorithm).update(data).digest(encoding);

let dir: string;
let tarball: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myorg-utilities-'));
  // Stand-in for a tarball: incompressible bytes, larger than one stream chunk.
  tarball = randomBytes(1024 * 1024 + 123);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sha1Hex', () => {
  it('matches node:crypto for bytes', () => {
    expect(sha1Hex(tarball)).toBe(digestOf('sha1', tarball, 'hex'));
  });

  it('hashes strings as UTF-8', () => {
    expect(sha1Hex('héllo')).toBe(digestOf('sha1', Buffer.from('héllo', 'utf8'), 'hex'));
  });

  it('gives the well-known digest of the empty input', () => {
    expect(sha1Hex('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
});

describe('integrityOf and integrityMatches', () => {
  it('build the sha512 SRI string npm puts in dist.integrity', () => {
    expect(integrityOf(tarball)).toBe(`sha512-${digestOf('sha512', tarball, 'base64')}`);
  });

  it('list several algorithms separated by spaces', () => {
    expect(integrityOf('x', ['sha256', 'sha512'])).toBe(
      `sha256-${digestOf('sha256', 'x', 'base64')} sha512-${digestOf('sha512', 'x', 'base64')}`,
    );
  });

  it('accept data that matches a declared integrity', () => {
    expect(integrityMatches(tarball, `sha512-${digestOf('sha512', tarball, 'base64')}`)).toBe(true);
    expect(integrityMatches('x', `sha1-${digestOf('sha1', 'x', 'base64')}`)).toBe(true);
  });

  it('reject tampered data, a wrong digest and malformed strings', () => {
    // Prepare
    const declared = `sha512-${digestOf('sha512', tarball, 'base64')}`;
    const tampered = Buffer.from(tarball);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;

    // Act & Assess
    expect(integrityMatches(tampered, declared)).toBe(false);
    expect(integrityMatches(tarball, `sha512-${digestOf('sha512', 'other', 'base64')}`)).toBe(false);
    expect(integrityMatches(tarball, 'not an integrity')).toBe(false);
    expect(integrityMatches(tarball, '')).toBe(false);
  });
});

describe('createDigester', () => {
  it('hashes a tarball streamed from disk like a one-shot hash', async () => {
    // Prepare
    const file = join(dir, 'pkg-1.0.0.tgz');
    await writeFile(file, tarball);
    const digester = createDigester();
    let chunks = 0;

    // Act
    for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
      digester.update(chunk as Buffer);
      chunks++;
    }
    const result = digester.digest();

    // Assess
    expect(chunks).toBeGreaterThan(1);
    expect(result).toEqual({
      sha1: digestOf('sha1', tarball, 'hex'),
      sha512: digestOf('sha512', tarball, 'base64'),
      integrity: `sha512-${digestOf('sha512', tarball, 'base64')}`,
      size: tarball.length,
    });
  });

  it('counts string chunks in UTF-8 bytes', () => {
    // Act
    const digester = createDigester().update('é').update('a');

    // Assess
    expect(digester.size).toBe(3);
    expect(digester.digest().sha1).toBe(digestOf('sha1', 'éa', 'hex'));
  });

  it('puts every SHA-2 algorithm asked for into integrity, and sha1 only when it is alone', () => {
    // Act
    const both = createDigester(['sha256', 'sha1', 'sha384']).update('x').digest();
    const sha1Only = createDigester(['sha1']).update('x').digest();

    // Assess
    expect(both.integrity).toBe(
      `sha256-${digestOf('sha256', 'x', 'base64')} sha384-${digestOf('sha384', 'x', 'base64')}`,
    );
    expect(both.sha256).toBe(digestOf('sha256', 'x', 'base64'));
    expect(both.sha1).toBe(digestOf('sha1', 'x', 'hex'));
    expect(sha1Only.integrity).toBe(`sha1-${digestOf('sha1', 'x', 'base64')}`);
  });

  it('returns the same frozen result on every digest() call and refuses more data', () => {
    // Prepare
    const digester = createDigester(['sha512']).update('a');

    // Act
    const first = digester.digest();

    // Assess
    expect(digester.digest()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => digester.update('b')).toThrow('digest() was already called');
  });

  it('hashes no data at all', () => {
    expect(createDigester().digest()).toMatchObject({ size: 0, sha1: digestOf('sha1', '', 'hex') });
  });

  it('rejects no algorithms and unknown ones', () => {
    expect(() => createDigester([])).toThrow(RangeError);
    expect(() => createDigester(['md5' as 'sha1'])).toThrow('unsupported digest algorithm "md5"');
  });
});

describe('against a tarball packed by npm', () => {
  it('reproduces the shasum and integrity npm pack reports', { timeout: 60_000 }, async () => {
    // Prepare: a tiny package packed by the npm CLI, which computes dist values the way a publish does.
    const pkgDir = join(dir, 'pkg');
    await mkdir(pkgDir);
    await writeFile(
      join(pkgDir, 'package.json'),
      JSON.stringify({ name: 'digest-fixture', version: '1.0.0' }),
    );
    await writeFile(join(pkgDir, 'index.js'), 'module.exports = 42;\n');
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: pkgDir,
    });
    const [packed] = JSON.parse(stdout) as [{ filename: string; shasum: string; integrity: string }];
    const bytes = await readFile(join(dir, packed.filename));

    // Act
    const streamed = createDigester();
    for await (const chunk of createReadStream(join(dir, packed.filename), { highWaterMark: 16 })) {
      streamed.update(chunk as Buffer);
    }
    const result = streamed.digest();

    // Assess
    expect(sha1Hex(bytes)).toBe(packed.shasum);
    expect(integrityOf(bytes)).toBe(packed.integrity);
    expect(integrityMatches(bytes, packed.integrity)).toBe(true);
    expect(result.sha1).toBe(packed.shasum);
    expect(result.integrity).toBe(packed.integrity);
    expect(result.size).toBe(bytes.length);
  });
});
