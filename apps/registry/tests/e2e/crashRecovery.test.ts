import { randomBytes } from 'node:crypto';
import { listAll } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarball, publishBody, sha512Integrity } from './support/fixtures.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { serverOutputOnFailure } from './support/serverOutputOnFailure.ts';
import { createStorage, type TestStorage } from './support/testStorage.ts';

const packageNames = ['e2e-crash-a', '@e2e/crash-b', 'e2e-crash-c'];
const workers = 12;
/** Acknowledged publishes before the kill: enough that many more are in flight when it lands. */
const publishesBeforeKill = 40;
/**
 * Published over and over beside the others, so one is likely in flight when the kill lands: its
 * tarball is over S3's 5 MiB part size, so on S3 it is staged and committed in multipart uploads.
 */
const bigPackage = 'e2e-crash-big';

interface Packument {
  versions: Record<string, { dist: { tarball: string; integrity: string } }>;
  'dist-tags': Record<string, string>;
}

/** Every JSON object in storage with its text, as a reader sees it. */
async function jsonObjectsIn(storage: TestStorage): Promise<Map<string, string>> {
  const opened = storage.open();
  const texts = new Map<string, string>();
  for await (const { key } of listAll(opened)) {
    if (key.endsWith('.json')) texts.set(key, (await opened.get(key))?.body.toString('utf8') ?? '');
  }
  return texts;
}

describe('a registry killed with SIGKILL in the middle of publishing', { timeout: 180_000 }, () => {
  let storage: TestStorage;
  const servers: RegistryServer[] = [];
  serverOutputOnFailure(() => servers);
  let acknowledged: Map<string, Set<string>>;
  let restarted: RegistryServer;
  let token: string;
  /** Big publishes whose connection the kill cut. */
  let bigCutOff = 0;

  beforeAll(async () => {
    // Prepare: concurrent publishes of new versions of a few packages, until the server dies.
    storage = await createStorage();
    const first = await startRegistry({ storage });
    servers.push(first);
    token = await createUser(first, 'crasher');
    acknowledged = new Map([...packageNames, bigPackage].map((name) => [name, new Set<string>()]));
    let next = 0;
    let done = 0;
    let killed: Promise<void> | undefined;
    const worker = async () => {
      while (!killed) {
        const index = next++;
        const name = packageNames[index % packageNames.length] ?? packageNames[0]!;
        const version = `1.0.${index}`;
        const body = await publishBody(name, version);
        try {
          const result = await request(first, packagePath(name), { method: 'PUT', token, body });
          if (result.status === 201) acknowledged.get(name)?.add(version);
          else if (!killed)
            throw new Error(`publish ${name}@${version} failed: ${result.status} ${result.text}`);
        } catch (error) {
          // Requests cut off by the kill fail with a socket error: their outcome is unknown, either is fine.
          if (!killed) throw error;
        }
        // Act: SIGKILL while the other workers' publishes are in flight.
        if (++done === publishesBeforeKill) killed = first.kill();
      }
    };
    // Built before the publishing starts, so the first is on its way from the start.
    const bigBodies = await Promise.all(
      ['1.0.0', '1.0.1', '1.0.2'].map(async (version) =>
        publishBody(bigPackage, version, {
          // Random bytes in base64 gzip to three quarters of their size: about 6 MB of tarball.
          tarball: await makeTarball({
            'package.json': JSON.stringify({ name: bigPackage, version }),
            'payload.txt': randomBytes(6 * 1024 * 1024).toString('base64'),
          }),
        }),
      ),
    );
    const bigWorker = async () => {
      for (const body of bigBodies) {
        if (killed) return;
        const version = Object.keys(body.versions)[0] ?? '';
        const result = await request(first, packagePath(bigPackage), { method: 'PUT', token, body }).catch(
          (error: unknown) => {
            if (!killed) throw error;
            bigCutOff += 1;
          },
        );
        if (result?.status === 201) acknowledged.get(bigPackage)?.add(version);
        else if (result && !killed)
          throw new Error(`publish ${bigPackage}@${version} failed: ${result.status}`);
      }
    };
    await Promise.all([bigWorker(), ...Array.from({ length: workers }, worker)]);
    await killed;
    restarted = await startRegistry({ storage });
    servers.push(restarted);
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
    if (storage) await storage.remove();
  }, 30_000);

  it('leaves no JSON object in storage truncated or corrupt', async () => {
    // Assess
    const objects = await jsonObjectsIn(storage);
    expect(objects.size).toBeGreaterThan(0);
    for (const [key, text] of objects) expect(() => JSON.parse(text), key).not.toThrow();
  });

  it('serves every package after the restart, with every acknowledged version', async () => {
    for (const name of packageNames) {
      // Act
      const result = await request(restarted, packagePath(name));

      // Assess
      expect(result.status, `${name}: ${result.text}`).toBe(200);
      const versions = Object.keys((result.json as Packument).versions);
      for (const version of acknowledged.get(name) ?? [])
        expect(versions, `${name}@${version}`).toContain(version);
    }
  });

  it('has a tarball matching dist.integrity for every listed version', async () => {
    for (const name of packageNames) {
      // Act
      const packument = (await request(restarted, packagePath(name))).json as Packument;

      // Assess
      for (const [version, { dist }] of Object.entries(packument.versions)) {
        const tarball = await request(restarted, new URL(dist.tarball).pathname);
        expect(tarball.status, `${name}@${version}`).toBe(200);
        expect(sha512Integrity(tarball.body), `${name}@${version}`).toBe(dist.integrity);
      }
      expect(Object.keys(packument.versions)).toContain(packument['dist-tags'].latest);
    }
  });

  it('leaves the big package, with publishes cut off mid-upload, whole or absent', async () => {
    // Act
    const result = await request(restarted, packagePath(bigPackage));

    // Assess: nothing published of it is served as a 404; any listed version has all its bytes.
    const published = acknowledged.get(bigPackage) ?? new Set<string>();
    console.log(
      `${bigPackage}: ${published.size} publishes acknowledged, ${bigCutOff} cut off by the kill (on ${storage.url})`,
    );
    expect(result.status, result.text).toBe(published.size === 0 ? result.status : 200);
    if (result.status === 404) return;
    const packument = result.json as Packument;
    for (const version of published) expect(Object.keys(packument.versions)).toContain(version);
    for (const [version, { dist }] of Object.entries(packument.versions)) {
      const tarball = await request(restarted, new URL(dist.tarball).pathname);
      expect(sha512Integrity(tarball.body), `${bigPackage}@${version}`).toBe(dist.integrity);
    }
  });

  it('takes new publishes to the same packages after the restart (no lock left behind)', async () => {
    // Act: with the token issued before the crash, which must have survived it too
    const results = await Promise.all(
      packageNames.map(async (name) =>
        request(restarted, packagePath(name), {
          method: 'PUT',
          token,
          body: await publishBody(name, '9.0.0'),
        }),
      ),
    );

    // Assess
    for (const result of results) expect(result.status, result.text).toBe(201);
  });
});
