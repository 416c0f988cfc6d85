import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBody, sha512Integrity, tempDir } from './support/fixtures.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import { createNpmClient } from './support/npmClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { serverOutputOnFailure } from './support/serverOutputOnFailure.ts';
import { createStorage, type TestStorage } from './support/testStorage.ts';

const name = '@e2e/shared-bucket';
const publishes = 50;

interface Packument {
  versions: Record<string, { dist: { tarball: string; integrity: string } }>;
}

/**
 * Two registry processes on one S3 bucket (s3rver behind the conditional-write proxy), as several
 * servers or Lambda instances share one: each has its own packument cache, and only S3's
 * conditional writes keep them from losing each other's publishes.
 */
describe('two registry processes on one S3 bucket', { timeout: 180_000 }, () => {
  let storage: TestStorage;
  let first: RegistryServer;
  let second: RegistryServer;
  const servers = () => [first, second].filter((server) => server !== undefined);
  serverOutputOnFailure(servers);
  let work: string;

  beforeAll(async () => {
    storage = await createStorage('s3');
    [first, second] = await Promise.all([startRegistry({ storage }), startRegistry({ storage })]);
    work = await tempDir('shared-bucket');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers().map((server) => server.stop()));
    if (storage) await storage.remove();
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  it(`keeps every acknowledged version of ${publishes} concurrent publishes of one package split between them`, async () => {
    // Prepare: a user made on one process signs in on both.
    const token = await createUser(first, 'racer');
    const versions = Array.from({ length: publishes }, (_, index) => `1.0.${index}`);
    const bodies = await Promise.all(versions.map((version) => publishBody(name, version)));
    const packumentWrites = storage.writesTo?.(`packuments/${name}.json`) ?? 0;

    // Act: real publish bodies, every other one to the other process, all at once.
    const started = performance.now();
    const results = await Promise.all(
      bodies.map((body, index) =>
        request(index % 2 === 0 ? first : second, packagePath(name), { method: 'PUT', token, body }),
      ),
    );
    const elapsedMs = performance.now() - started;

    // Assess
    const acknowledged = versions.filter((_, index) => (results[index]?.status ?? 0) < 300);
    const attempts = (storage.writesTo?.(`packuments/${name}.json`) ?? 0) - packumentWrites;
    console.log(
      `${publishes} concurrent publishes over 2 processes on one bucket: ${acknowledged.length} acknowledged, ${attempts - acknowledged.length} packument writes refused by a condition and retried, ${elapsedMs.toFixed(0)} ms`,
    );
    for (const result of results) expect(result.status, result.text).toBe(201);
    for (const server of [first, second]) {
      // Each process checks its cached copy against the bucket at least once a second.
      const versionsServed = async () =>
        Object.keys(((await request(server, packagePath(name))).json as Packument).versions).sort();
      await expect.poll(versionsServed, { timeout: 5_000 }).toEqual([...acknowledged].sort());
      const packument = (await request(server, packagePath(name))).json as Packument;
      for (const [version, { dist }] of Object.entries(packument.versions)) {
        const tarball = await request(server, new URL(dist.tarball).pathname);
        expect(sha512Integrity(tarball.body), `${version} from ${server.url}`).toBe(dist.integrity);
      }
    }
  });

  it('installs every one of those versions with npm from either process', async () => {
    // Prepare: one dependency alias per version, so one `npm install` fetches all 50 tarballs.
    const dependencies = Object.fromEntries(
      Array.from({ length: publishes }, (_, index) => [`v${index}`, `npm:${name}@1.0.${index}`]),
    );

    for (const [index, server] of [first, second].entries()) {
      const project = join(work, `consumer-${index}`);
      await mkdir(project);
      await writeFile(
        join(project, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, dependencies }),
      );
      // Act
      const client = await createNpmClient(server.url);
      try {
        const installed = await client.npm(['install', '--no-package-lock'], { cwd: project });

        // Assess
        expect(installed.code, installed.stderr).toBe(0);
      } finally {
        await client.remove();
      }
    }
  });
});
