import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemStorage } from '@myorg/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';
import { makeTarball } from './support/tarball.ts';
import { WRITER_TOKEN } from './support/testAuth.ts';

let directory: string;
let registry: TestRegistry;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'registry-concurrency-'));
  registry = await startRegistry({ storage: new FileSystemStorage(directory) });
});

afterEach(async () => {
  await registry.close();
  await rm(directory, { recursive: true, force: true });
});

const versions = (count: number, major = 1) =>
  Array.from({ length: count }, (_, index) => `${major}.${index}.0`);

/** Every listed version's tarball is there and has the integrity its packument states. */
interface Document {
  _rev: string;
  time: Record<string, string>;
  'dist-tags': Record<string, string>;
  versions: Record<string, { dist: { tarball: string; shasum: string; integrity: string } }>;
}

async function assertConsistent(name: string): Promise<Document> {
  const document: Document = await json(await registry.request(`/${name.replace('/', '%2f')}`));
  for (const manifest of Object.values(document.versions)) {
    const response = await fetch(manifest.dist.tarball);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(`sha512-${createHash('sha512').update(bytes).digest('base64')}`).toBe(manifest.dist.integrity);
  }
  return document;
}

describe('concurrent writes', () => {
  it('lands 20 concurrent publishes of a new package', async () => {
    // Act
    const responses = await Promise.all(
      versions(20).map((version) => publish(registry, publishBody('@scope/fresh', version))),
    );

    // Assess
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    const document = await assertConsistent('@scope/fresh');
    expect(Object.keys(document.versions).sort()).toEqual(versions(20).sort());
    expect(Object.keys(document.time)).toHaveLength(22);
    expect(document._rev).toMatch(/^20-/);
  });

  it('lands 20 concurrent publishes of an existing package', async () => {
    // Prepare
    await publish(registry, publishBody('existing', '0.1.0'));

    // Act
    const responses = await Promise.all(
      versions(20).map((version) => publish(registry, publishBody('existing', version))),
    );

    // Assess
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    const document = await assertConsistent('existing');
    expect(Object.keys(document.versions)).toHaveLength(21);
  });

  it('never lets dist-tag changes and publishes clobber each other', async () => {
    // Prepare
    await publish(registry, publishBody('mixed', '0.1.0'));

    // Act
    const responses = await Promise.all([
      ...versions(10, 2).map((version) =>
        publish(registry, publishBody('mixed', version, { tag: `v${version.replaceAll('.', '-')}` })),
      ),
      ...Array.from({ length: 10 }, (_, index) =>
        registry.request(`/-/package/mixed/dist-tags/tag${index}`, {
          method: 'PUT',
          token: WRITER_TOKEN,
          json: '0.1.0',
        }),
      ),
    ]);

    // Assess
    expect(responses.every((response) => response.ok)).toBe(true);
    const document = await assertConsistent('mixed');
    expect(Object.keys(document.versions)).toHaveLength(11);
    expect(Object.keys(document['dist-tags'])).toHaveLength(21);
  });

  it('accepts one of several concurrent publishes of the same version and keeps its bytes', async () => {
    // Prepare
    const bodies = Array.from({ length: 5 }, (_, index) =>
      publishBody('race', '1.0.0', {
        tarball: makeTarball({
          'package.json': JSON.stringify({ name: 'race', version: '1.0.0' }),
          'index.js': `// attempt ${index}\n`,
        }),
      }),
    );

    // Act
    const statuses = (await Promise.all(bodies.map((body) => publish(registry, body)))).map(
      (response) => response.status,
    );

    // Assess
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(4);
    const document = await assertConsistent('race');
    const winner = bodies[statuses.indexOf(201)]!;
    expect(document.versions['1.0.0']!.dist.shasum).toBe(winner.versions['1.0.0']!.dist.shasum);
    const stored = [...(await registry.snapshot()).keys()].filter((key) => key.startsWith('tarballs/race/'));
    expect(stored).toEqual([`tarballs/race/1.0.0/${winner.versions['1.0.0']!.dist.shasum}.tgz`]);
  });

  it('serves a tarball another process just published, though its cached packument is older', async () => {
    // Prepare: a second registry on the same storage, with the package cached before the publish.
    const other = await startRegistry({ storage: registry.storage });
    try {
      expect((await publish(registry, publishBody('shared', '1.0.0'))).status).toBe(201);
      expect((await other.request('/shared')).status).toBe(200);

      // Act
      expect((await publish(registry, publishBody('shared', '1.1.0'))).status).toBe(201);
      const tarball = await other.request('/shared/-/shared-1.1.0.tgz');

      // Assess
      expect(tarball.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
