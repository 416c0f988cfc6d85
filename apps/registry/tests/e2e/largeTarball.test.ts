import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha512Integrity, tempDir, writePackage } from './support/fixtures.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import { createNpmClient, type NpmClient } from './support/npmClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { serverOutputOnFailure } from './support/serverOutputOnFailure.ts';

/** Random bytes do not compress, so the tarball (and its base64 in the publish body) stays this large. */
const payloadBytes = 20 * 1024 * 1024;

describe('a 20 MB tarball', { timeout: 180_000 }, () => {
  let server: RegistryServer;
  serverOutputOnFailure(() => [server]);
  let client: NpmClient;
  let work: string;
  let payload: Buffer;

  beforeAll(async () => {
    server = await startRegistry();
    client = await createNpmClient(server.url);
    work = await tempDir('large');
    await client.setToken(await createUser(server, 'heavy'));
    payload = randomBytes(payloadBytes);
  }, 60_000);

  afterAll(async () => {
    await client?.remove();
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  it('publishes with npm publish, serves the tarball whole, and installs with npm install', async () => {
    // Prepare
    const dir = await writePackage(work, {
      name: '@e2e/heavy',
      version: '1.0.0',
      files: { 'payload.bin': payload },
    });
    const project = join(work, 'consumer');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));

    // Act
    const published = await client.npm(['publish'], { cwd: dir });
    const packument = await request(server, packagePath('@e2e/heavy'));
    const dist = (
      packument.json as { versions: Record<string, { dist: { tarball: string; integrity: string } }> }
    ).versions['1.0.0']?.dist;
    const tarball = await request(server, new URL(dist?.tarball ?? server.url).pathname);
    const installed = await client.npm(['install', '@e2e/heavy'], { cwd: project });

    // Assess
    expect(published.code, published.stderr).toBe(0);
    expect(tarball.status).toBe(200);
    expect(tarball.body.length).toBeGreaterThan(payloadBytes);
    expect(sha512Integrity(tarball.body)).toBe(dist?.integrity);
    expect(installed.code, installed.stderr).toBe(0);
    const copy = await readFile(join(project, 'node_modules', '@e2e', 'heavy', 'payload.bin'));
    expect(copy.equals(payload)).toBe(true);
  });
});
