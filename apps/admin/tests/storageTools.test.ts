import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listAll, type ObjectStorage, storageFromUrl } from '@myorg/storage';
import { Header } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Fixture, startS3rver } from '../../../libs/storage/tests/support/s3rver.ts';
import { installedVersion, writeProject } from '../../registry/tests/e2e/support/fixtures.ts';
import { createNpmClient } from '../../registry/tests/e2e/support/npmClient.ts';
import { startRegistry } from '../../registry/tests/e2e/support/registryServer.ts';
import { runCli } from '../src/cli/runCli.ts';
import { runPool } from '../src/storageTools/runPool.ts';
import { tempDir, testIo } from './support/testIo.ts';

/**
 * s3rver answers listings in pages this small, so the few dozen objects below cross as many pages
 * as a real bucket's thousands do (S3 may answer fewer than max-keys; every tool must follow on).
 */
const PAGE_SIZE = 10;
/** Good packages in the codebox bucket: with two versions each and the broken entries, 62 objects. */
const PACKAGES = 16;
const REGISTRY_PREFIX = 'registry';
/** Packuments written before the interrupted import is stopped. */
const STOP_AFTER = 4;

const goodName = (index: number) =>
  index % 5 === 0 ? `@scope/pkg-${String(index).padStart(4, '0')}` : `pkg-${String(index).padStart(4, '0')}`;

/** A .tgz of `package/package.json`, built in memory (two tar blocks and the end marker). */
function tarball(name: string, version: string, extra = ''): Buffer {
  const content = Buffer.from(JSON.stringify({ name, version, description: `${name} ${extra}` }));
  const header = new Header({
    path: 'package/package.json',
    mode: 0o644,
    size: content.length,
    mtime: new Date(0),
    type: 'File',
  });
  header.encode();
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return gzipSync(Buffer.concat([header.block ?? Buffer.alloc(0), content, pad, Buffer.alloc(1024)]));
}

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');
const sha512 = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

interface Entry {
  version: string;
  tarball?: Buffer;
  dist?: Record<string, string>;
  manifest?: Record<string, unknown>;
}

/** `<name>/index.json` as codebox-npm wrote it (absolute tarball URLs, the latest attachment) and the tarballs. */
function codeboxPackage(name: string, entries: Entry[]): Map<string, Buffer> {
  const objects = new Map<string, Buffer>();
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = {
    created: '2018-01-01T00:00:00.000Z',
    modified: '2018-03-01T00:00:00.000Z',
  };
  entries.forEach(({ version, tarball: bytes, dist, manifest }, index) => {
    const unscoped = name.split('/').pop();
    versions[version] = {
      name,
      version,
      ...manifest,
      dist: dist ?? {
        shasum: bytes === undefined ? '0'.repeat(40) : sha1(bytes),
        integrity: bytes === undefined ? 'sha512-AAAA' : sha512(bytes),
        tarball: `https://abc123.execute-api.eu-west-1.amazonaws.com/prod/registry/${name}/-/${unscoped}-${version}.tgz`,
      },
    };
    time[version] = `2018-02-0${index + 1}T00:00:00.000Z`;
    if (bytes !== undefined) objects.set(`${name}/${version}.tgz`, bytes);
  });
  const last = entries.at(-1);
  const document = {
    name,
    'dist-tags': { latest: last?.version },
    versions,
    time,
    _attachments: { [`${name}-${last?.version}.tgz`]: { data: last?.tarball?.toString('base64') ?? '' } },
  };
  objects.set(`${name}/index.json`, Buffer.from(JSON.stringify(document)));
  return objects;
}

/** The codebox bucket: the good packages and one broken entry of each kind. */
function codeboxBucket(): Map<string, Buffer> {
  const objects = new Map<string, Buffer>();
  const add = (more: Map<string, Buffer>) => {
    for (const [key, value] of more) objects.set(key, value);
  };
  for (let index = 0; index < PACKAGES; index += 1) {
    const name = goodName(index);
    add(
      codeboxPackage(
        name,
        ['1.0.0', '1.1.0'].map((version) => ({ version, tarball: tarball(name, version) })),
      ),
    );
  }
  add(
    codeboxPackage('missing-tarball', [
      { version: '1.0.0', tarball: tarball('missing-tarball', '1.0.0') },
      { version: '1.0.1' },
    ]),
  );
  const good = tarball('tampered', '1.0.0');
  add(codeboxPackage('tampered', [{ version: '1.0.0', tarball: good }]));
  objects.set('tampered/1.0.0.tgz', tarball('tampered', '1.0.0', 'evil'));
  const bytes = tarball('integrity-only', '1.0.0');
  add(
    codeboxPackage('integrity-only', [
      { version: '1.0.0', tarball: bytes, dist: { integrity: sha512(tarball('integrity-only', '9.9.9')) } },
    ]),
  );
  add(
    codeboxPackage('bad-manifest', [
      { version: '1.0.0', tarball: tarball('bad-manifest', '1.0.0'), manifest: { version: '2.0.0' } },
      { version: 'not-semver', tarball: tarball('bad-manifest', '1.0.0') },
      { version: '1.0.1', tarball: tarball('bad-manifest', '1.0.1'), dist: {} },
    ]),
  );
  objects.set('broken-json/index.json', Buffer.from('{"name": "broken-json", '));
  objects.set('wrong-name/index.json', Buffer.from(JSON.stringify({ name: 'other', versions: {} })));
  objects.set('Invalid Name/index.json', Buffer.from(JSON.stringify({ name: 'Invalid Name', versions: {} })));
  objects.set('orphan/1.0.0.tgz', tarball('orphan', '1.0.0'));
  return objects;
}

/**
 * Every object under `prefix`: a packument by its content (but its random revision), anything else
 * by its size (tarball keys name their sha1, so an equal key and size is the same tarball).
 */
async function contents(storage: ObjectStorage, prefix: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const { key, size } of listAll(storage, prefix)) {
    if (!key.endsWith('.json')) {
      found.set(key, String(size));
      continue;
    }
    const body = (await storage.get(key))?.body.toString('utf8') ?? '{}';
    found.set(key, JSON.stringify({ ...JSON.parse(body), _rev: '' }));
  }
  return found;
}

async function count(storage: ObjectStorage, prefix = ''): Promise<number> {
  let total = 0;
  for await (const _ of listAll(storage, prefix)) total += 1;
  return total;
}

describe('storage commands on s3rver: a codebox-npm bucket listed over several pages', {
  timeout: 300_000,
}, () => {
  let s3: S3Fixture;
  let client: S3Client;
  let work: { dir: string; remove: () => Promise<void> };
  const saved = { ...process.env };
  const buckets: Record<'codebox' | 'first' | 'second', string> = { codebox: '', first: '', second: '' };
  const url = (bucket: string) => `s3://${bucket}/${REGISTRY_PREFIX}`;
  const open = (bucket: string) => storageFromUrl(url(bucket));
  const cli = async (args: string[], signal?: AbortSignal) => {
    const io = testIo(work.dir, s3.env());
    const code = await runCli(args, io, signal);
    return { code, out: io.out(), err: io.err() };
  };
  const importInto = (bucket: string, signal?: AbortSignal, concurrency = 8) =>
    cli(
      [
        'import-codebox',
        '--from',
        `s3://${buckets.codebox}`,
        '--storage',
        url(bucket),
        '--concurrency',
        String(concurrency),
      ],
      signal,
    );

  beforeAll(async () => {
    s3 = await startS3rver({ pageSize: PAGE_SIZE });
    Object.assign(process.env, s3.env());
    client = s3.client({ conditional: false });
    work = await tempDir();
    for (const key of Object.keys(buckets) as (keyof typeof buckets)[])
      buckets[key] = await s3.createBucket();
    await runPool(codeboxBucket(), 16, async ([key, body]) => {
      await client.send(new PutObjectCommand({ Bucket: buckets.codebox, Key: key, Body: body }));
    });
  }, 120_000);

  afterAll(async () => {
    process.env = saved;
    await s3?.stop();
    await work?.remove();
  }, 30_000);

  it('imports every package that passes its checks, reports each broken entry, and imports nothing twice', async () => {
    expect(await count(storageFromUrl(`s3://${buckets.codebox}`))).toBeGreaterThan(4 * PAGE_SIZE);

    const first = await importInto(buckets.first);

    expect(first.code, first.out + first.err).toBe(0);
    // Not a terminal: plain progress lines on stderr, the last one at the end (every index.json counted).
    expect(first.err).toMatch(new RegExp(`import-codebox: ${PACKAGES + 7}/${PACKAGES + 7} \\([\\d.]+/s\\)`));
    const importedVersions = PACKAGES * 2 + 1;
    expect(first.out).toContain(
      `import-codebox: ${PACKAGES + 1} packages, ${importedVersions} versions imported, 0 versions already present`,
    );
    for (const line of [
      'missing-tarball@1.0.1: tarball missing-tarball/1.0.1.tgz is missing',
      'tampered@1.0.0: tarball does not match dist.shasum',
      'integrity-only@1.0.0: tarball does not match dist.integrity',
      'bad-manifest@1.0.0: its manifest names another package or version',
      'bad-manifest@not-semver: not a valid semver version',
      'bad-manifest@1.0.1: dist has neither shasum nor integrity',
      'broken-json: index.json is not JSON',
      'wrong-name: index.json is the packument of "other", not of its folder',
      'Invalid Name: not a valid npm package name',
      'orphan/1.0.0.tgz: tarball of a folder without index.json',
    ])
      expect(first.out).toContain(line);
    const target = open(buckets.first);
    const stored = await count(target);
    expect(stored).toBe(PACKAGES + 1 + importedVersions);
    expect(stored).toBeGreaterThan(4 * PAGE_SIZE);
    const packument = JSON.parse(
      (await target.get('packuments/@scope/pkg-0010.json'))?.body.toString() ?? '{}',
    );
    expect(packument.versions['1.1.0'].dist.tarball).toBe('@scope/pkg-0010/-/pkg-0010-1.1.0.tgz');
    expect(packument._attachments).toBeUndefined();
    expect(packument['dist-tags']).toEqual({ latest: '1.1.0' });

    const again = await importInto(buckets.first);

    expect(again.code).toBe(0);
    expect(again.out).toContain(
      `import-codebox: 0 packages, 0 versions imported, ${importedVersions} versions already present`,
    );
    expect(await count(target)).toBe(stored);
  });

  it('gives a registry that npm installs from', async () => {
    const storage = {
      url: url(buckets.first),
      env: s3.env(),
      open: () => open(buckets.first),
      remove: async () => {},
    };
    const registry = await startRegistry({ storage });
    const npm = await createNpmClient(registry.url);
    try {
      const project = await writeProject(join(work.dir, 'consumer'), {
        'pkg-0001': '^1.0.0',
        '@scope/pkg-0005': '1.0.0',
        'missing-tarball': '*',
      });

      await npm.npmOk(['install'], { cwd: project });

      expect(await installedVersion(project, 'pkg-0001')).toBe('1.1.0');
      expect(await installedVersion(project, '@scope/pkg-0005')).toBe('1.0.0');
      expect(await installedVersion(project, 'missing-tarball')).toBe('1.0.0');
    } finally {
      await npm.remove();
      await registry.stop();
    }
  });

  it('finishes an interrupted import with the same result as an uninterrupted one', async () => {
    const target = open(buckets.second);
    const stop = new AbortController();
    let importing = true;
    // Stops after the proxy has seen a few packuments written (watching the proxy, not listing the
    // bucket, reacts within milliseconds), two packages at a time: only those in flight then finish,
    // well short of every package.
    const packuments = `/${buckets.second}/${REGISTRY_PREFIX}/packuments/`;
    const written = () => s3.writes.filter((write) => write.key.startsWith(packuments)).length;
    const watch = (async () => {
      while (importing && written() < STOP_AFTER) await setTimeout(5);
      stop.abort();
    })();

    const interrupted = await importInto(buckets.second, stop.signal, 2).finally(() => {
      importing = false;
    });
    await watch;

    expect(interrupted.code).toBe(1);
    expect(interrupted.out).toContain('interrupted: run `myorg-admin import-codebox` again');
    const partial = await count(target, 'packuments/');
    expect(partial).toBeGreaterThanOrEqual(STOP_AFTER);
    expect(partial).toBeLessThan(PACKAGES);

    const resumed = await importInto(buckets.second);

    expect(resumed.code, resumed.out).toBe(0);
    expect(await contents(target, '')).toEqual(await contents(open(buckets.first), ''));
  });

  it('exports S3 storage to a tar file that imports into a filesystem registry unchanged', async () => {
    const file = join(work.dir, 'backup.tar');
    const directory = join(work.dir, 'restored');
    const restored = pathToFileURL(directory).href;

    const exported = await cli(['export', '--storage', url(buckets.first), '--to', file]);
    const imported = await cli(['import', '--storage', restored, '--from', file]);
    const again = await cli(['import', '--storage', restored, '--from', file]);

    expect(exported.code, exported.err).toBe(0);
    expect(imported.code, imported.err).toBe(0);
    const objects = PACKAGES + 1 + PACKAGES * 2 + 1;
    expect(imported.out).toContain(`import: ${objects} objects stored, 0 already present`);
    expect(again.out).toContain(`import: 0 objects stored, ${objects} already present, 0 skipped`);
    const source = open(buckets.first);
    const copy = storageFromUrl(restored);
    expect(await contents(copy, '')).toEqual(await contents(source, ''));
    const verified = await cli(['verify', '--storage', restored]);
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toContain(`verify: ${PACKAGES + 1} packages, ${PACKAGES * 2 + 1} versions intact`);
  });

  it('verify finds a tampered and a missing tarball; --fix removes only the version whose tarball is missing', async () => {
    const storage = open(buckets.first);
    const packument = (name: string) =>
      storage.get(`packuments/${name}.json`).then((object) => JSON.parse(object?.body.toString() ?? '{}'));
    const tamperedKey = `tarballs/pkg-0003/1.0.0/${(await packument('pkg-0003')).versions['1.0.0'].dist.shasum}.tgz`;
    const missingKey = `tarballs/@scope/pkg-0015/1.0.0/${(await packument('@scope/pkg-0015')).versions['1.0.0'].dist.shasum}.tgz`;
    await storage.put(tamperedKey, tarball('pkg-0003', '1.0.0', 'tampered'));
    await storage.delete(missingKey);

    const found = await cli(['verify', '--storage', url(buckets.first)]);
    const fixed = await cli(['verify', '--storage', url(buckets.first), '--fix']);

    expect(found.code).toBe(1);
    expect(found.out).toContain(`pkg-0003@1.0.0: tarball ${tamperedKey} does not match`);
    expect(found.out).toContain(`@scope/pkg-0015@1.0.0: tarball ${missingKey} is missing`);
    expect(fixed.out).toContain('1 versions removed');
    expect(Object.keys((await packument('@scope/pkg-0015')).versions)).toEqual(['1.1.0']);
    expect(fixed.code).toBe(1);
    expect(fixed.out).toContain(`pkg-0003@1.0.0: tarball ${tamperedKey} does not match`);
    expect((await packument('pkg-0003')).versions['1.0.0']).toBeDefined();
  });

  it('reindex drops the pre-rendered bodies and reads every packument', async () => {
    const storage = open(buckets.first);
    await storage.put('rendered/pkg-0001/abc.gzip.json', 'stale');

    const result = await cli(['reindex', '--storage', url(buckets.first)]);

    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain(`reindex: ${PACKAGES + 1} packages, 1 rendered bodies removed`);
    expect(await count(storage, 'rendered/')).toBe(0);
  });

  it('remove-storage asks first, and with --yes leaves an empty bucket', async () => {
    const storage = open(buckets.second);
    const before = await count(storage);
    const io = testIo(work.dir, s3.env(), 'no\n');
    expect(await runCli(['remove-storage', '--storage', url(buckets.second)], io)).toBe(1);
    expect(io.err()).toContain(`error: not confirmed: ${url(buckets.second)} was left as it was`);
    const dry = await cli(['remove-storage', '--storage', url(buckets.second), '--dry-run']);
    expect(dry.out).toContain(`remove-storage: ${before} objects removed`);
    expect(await count(storage)).toBe(before);

    const removed = await cli(['remove-storage', '--storage', url(buckets.second), '--yes']);

    expect(removed.code, removed.out).toBe(0);
    expect(removed.out).toContain(`remove-storage: ${before} objects removed, 0 buckets removed`);
    expect(await count(storageFromUrl(`s3://${buckets.second}`))).toBe(0);
  });
});
