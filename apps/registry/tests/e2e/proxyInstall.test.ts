import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/fixtures.ts';
import { createUser, request } from './support/httpClient.ts';
import { createNpmClient } from './support/npmClient.ts';
import { type PackedPackage, packTree, publishPacked, treeName } from './support/packageTree.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { directoryStorage } from './support/testStorage.ts';

const TREE_SIZE = 50;
const PREFIX = 'proxied';

interface LockEntry {
  version: string;
  resolved: string;
  integrity: string;
}

async function writeProject(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const dependencies = { [treeName(0, PREFIX)]: '^1.0.0' };
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, dependencies }),
  );
  return dir;
}

/** Every installed package folder: `name` or `@scope/name`. */
async function installedPackages(project: string): Promise<string[]> {
  const root = join(project, 'node_modules');
  const names: string[] = [];
  for (const entry of await readdir(root)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@'))
      for (const child of await readdir(join(root, entry))) names.push(`${entry}/${child}`);
    else names.push(entry);
  }
  return names.sort();
}

/**
 * The proxy end to end: an upstream registry (our own server, on loopback) holds a 50-package tree
 * packed by npm; a second server proxies it. npm installs the tree through the proxy, then again
 * with the upstream gone, then again after the proxy itself restarted: the tree comes from the
 * proxy's durable cache every time.
 */
describe('installing through the upstream proxy', { timeout: 180_000 }, () => {
  let upstream: RegistryServer;
  let proxy: RegistryServer | undefined;
  let work: string;
  let proxyStorage: string;
  let packages: PackedPackage[];
  let firstLock: string;

  beforeAll(async () => {
    work = await tempDir('proxy-install');
    proxyStorage = await tempDir('proxy-storage');
    upstream = await startRegistry();
    packages = await packTree(join(work, 'packed'), TREE_SIZE, PREFIX);
    await publishPacked(upstream.url, await createUser(upstream, 'upstream-publisher'), packages);
    proxy = await startRegistry({
      storage: directoryStorage(proxyStorage),
      env: { REGISTRY_UPSTREAM: upstream.url },
    });
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await upstream?.stop();
    await rm(work, { recursive: true, force: true });
    await rm(proxyStorage, { recursive: true, force: true });
  });

  it('installs a 50-package tree from the upstream with a clean npm cache', async () => {
    // Prepare
    const consumer = await createNpmClient(proxy!.url);
    const project = await writeProject(join(work, 'first'));

    try {
      // Act
      const result = await consumer.npm(['install'], { cwd: project });

      // Assess
      expect(result.code, result.stderr).toBe(0);
      expect(await installedPackages(project)).toEqual(packages.map((packed) => packed.name).sort());
      firstLock = await readFile(join(project, 'package-lock.json'), 'utf8');
      const lock = JSON.parse(firstLock) as { packages: Record<string, LockEntry> };
      for (const packed of packages) {
        const entry = lock.packages[`node_modules/${packed.name}`];
        // Tarballs come from the proxy, never from the upstream, with the integrity npm packed.
        expect(entry?.resolved).toBe(
          `${proxy!.url}${packed.name}/-/${packed.name.replace(/^@.*\//, '')}-1.0.0.tgz`,
        );
        expect(entry?.integrity).toBe(packed.integrity);
      }
      const kept = await readdir(join(proxyStorage, 'upstream', 'tarballs'), { recursive: true });
      expect(kept.filter((path) => String(path).endsWith('.tgz'))).toHaveLength(TREE_SIZE);
    } finally {
      await consumer.remove();
    }
  });

  it('installs the tree again from its cache after the upstream stopped', async () => {
    // Prepare
    await upstream.stop();
    const consumer = await createNpmClient(proxy!.url);
    const project = await writeProject(join(work, 'upstream-gone'));

    try {
      // Act
      const result = await consumer.npm(['install'], { cwd: project });

      // Assess
      expect(result.code, result.stderr).toBe(0);
      expect(await installedPackages(project)).toHaveLength(TREE_SIZE);
    } finally {
      await consumer.remove();
    }
  });

  it('installs it once more after the proxy restarted with the upstream still gone, marking documents stale', async () => {
    // Prepare: a new process on the same storage and port (the lockfile names it), with nothing in
    // memory and every document past its max age.
    const port = String(proxy!.port);
    await proxy!.stop();
    proxy = await startRegistry({
      storage: directoryStorage(proxyStorage),
      env: { PORT: port, REGISTRY_UPSTREAM: upstream.url, REGISTRY_UPSTREAM_MAX_AGE: '0s' },
    });
    const consumer = await createNpmClient(proxy.url);
    const project = await writeProject(join(work, 'restarted'));
    const lockedProject = await writeProject(join(work, 'restarted-ci'));
    await writeFile(join(lockedProject, 'package-lock.json'), firstLock);

    try {
      // Act
      const install = await consumer.npm(['install'], { cwd: project });
      const ci = await consumer.npm(['ci'], { cwd: lockedProject });
      const packument = await request(proxy, `/${treeName(0, PREFIX)}`);

      // Assess
      expect(install.code, install.stderr).toBe(0);
      expect(await installedPackages(project)).toHaveLength(TREE_SIZE);
      expect(ci.code, ci.stderr).toBe(0);
      expect(packument.status).toBe(200);
      expect(packument.headers.warning).toBe('110 - "Response is Stale"');
    } finally {
      await consumer.remove();
    }
  });
});
