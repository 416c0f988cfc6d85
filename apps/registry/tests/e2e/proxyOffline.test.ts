import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/fixtures.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import { createNpmClient } from './support/npmClient.ts';
import { type PackedPackage, packTree, publishPacked, treeName } from './support/packageTree.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { serverOutputOnFailure } from './support/serverOutputOnFailure.ts';

const TREE_SIZE = 5;
/** Cached through full-form requests only (`npm view`, then the tarballs). */
const VIEWED = 'viewed';
/** Cached through a pnpm install, which asks for the abbreviated form (npm 11 asks for the full one). */
const INSTALLED = 'installed';
/** No retries: against today's failure a client would only wait its backoff before failing the same way. */
const noRetries = {
  npm_config_fetch_retries: '0',
  pnpm_config_fetch_retries: '0',
  // pnpm would ask the registry for its own newer versions, which it does not have offline.
  pnpm_config_update_notifier: 'false',
};

/** A project depending on the roots of `trees`, with the registry in its `.npmrc` as pnpm reads it. */
async function writeProject(dir: string, registry: string, trees = [VIEWED, INSTALLED]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const dependencies = Object.fromEntries(trees.map((prefix) => [treeName(0, prefix), '^1.0.0']));
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, dependencies }),
  );
  await writeFile(join(dir, '.npmrc'), `registry=${registry}\n`);
  return dir;
}

/**
 * A lockfile naming versions and integrity but no `resolved` URL (as lockfiles written with
 * `omit-lockfile-registry-resolved` are): `npm ci` then reads each package's abbreviated document
 * to find its tarball.
 */
function lockfileWithoutResolved(packages: readonly PackedPackage[]): string {
  const entries = Object.fromEntries(
    packages.map((packed) => [
      `node_modules/${packed.name}`,
      { version: packed.version, integrity: packed.integrity, dependencies: packed.manifest.dependencies },
    ]),
  );
  const root = {
    name: 'consumer',
    dependencies: { [treeName(0, VIEWED)]: '^1.0.0', [treeName(0, INSTALLED)]: '^1.0.0' },
  };
  return JSON.stringify({
    name: 'consumer',
    lockfileVersion: 3,
    requires: true,
    packages: { '': root, ...entries },
  });
}

/** The packages npm did not install in `project`. */
function missing(project: string, packages: readonly PackedPackage[]): Promise<string[]> {
  return absent(packages, (packed) => join(project, 'node_modules', packed.name));
}

/** The packages pnpm did not install in `project`'s virtual store (`.pnpm/<name>@<version>/node_modules/<name>`). */
function missingFromPnpmStore(project: string, packages: readonly PackedPackage[]): Promise<string[]> {
  return absent(packages, (packed) =>
    join(
      project,
      'node_modules',
      '.pnpm',
      `${packed.name.replace('/', '+')}@${packed.version}`,
      'node_modules',
      packed.name,
    ),
  );
}

async function absent(
  packages: readonly PackedPackage[],
  folder: (packed: PackedPackage) => string,
): Promise<string[]> {
  const names: string[] = [];
  for (const packed of packages) {
    await access(join(folder(packed), 'package.json')).catch(() => names.push(packed.name));
  }
  return names;
}

/**
 * The proxy's cache with the upstream gone, whichever form of a package's document it was given
 * first: one tree is cached through full-form reads (`npm view`, then its tarballs), the other
 * through a pnpm install (abbreviated form). With the upstream gone, pnpm (abbreviated form) and
 * `npm ci` from a lockfile without tarball URLs (which reads each document to find the tarball)
 * install both trees, and `npm view` answers for a package only ever installed.
 */
describe('installing through the proxy while the upstream is down', { timeout: 240_000 }, () => {
  let upstream: RegistryServer;
  let proxy: RegistryServer;
  let work: string;
  let viewed: PackedPackage[];
  let installedTree: PackedPackage[];
  serverOutputOnFailure(() => [proxy]);

  beforeAll(async () => {
    work = await tempDir('proxy-offline');
    upstream = await startRegistry();
    viewed = await packTree(join(work, 'viewed'), TREE_SIZE, VIEWED);
    installedTree = await packTree(join(work, 'installed'), TREE_SIZE, INSTALLED);
    await publishPacked(upstream.url, await createUser(upstream, 'publisher'), [...viewed, ...installedTree]);
    // Max age 0: every read with the upstream gone falls back to the cache, marked stale.
    proxy = await startRegistry({
      env: { REGISTRY_UPSTREAM: upstream.url, REGISTRY_UPSTREAM_MAX_AGE: '0s' },
    });

    const client = await createNpmClient(proxy.url);
    try {
      for (const packed of viewed) {
        await client.npmOk(['view', packed.name, 'version']);
        const tarball = await request(
          proxy,
          `/${packed.name}/-/${packed.name.replace(/^@.*\//, '')}-1.0.0.tgz`,
        );
        if (tarball.status !== 200) throw new Error(`tarball of ${packed.name}: ${tarball.status}`);
      }
      const project = await writeProject(join(work, 'first-install'), proxy.url, [INSTALLED]);
      const first = await client.pnpm(['install'], { cwd: project, env: noRetries });
      if (first.code !== 0) throw new Error(`pnpm install: ${first.stdout}\n${first.stderr}`);
    } finally {
      await client.remove();
    }
    await upstream.stop();
  }, 180_000);

  afterAll(async () => {
    await proxy?.stop();
    await upstream?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('installs both trees with pnpm', async () => {
    // Prepare
    const consumer = await createNpmClient(proxy.url);
    const project = await writeProject(join(work, 'pnpm'), proxy.url);

    try {
      // Act
      const result = await consumer.pnpm(['install'], { cwd: project, env: noRetries });

      // Assess
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(await missingFromPnpmStore(project, [...viewed, ...installedTree])).toEqual([]);
    } finally {
      await consumer.remove();
    }
  });

  it('installs both trees with npm ci from a lockfile without resolved URLs', async () => {
    // Prepare
    const consumer = await createNpmClient(proxy.url);
    const project = await writeProject(join(work, 'npm-ci'), proxy.url);
    await writeFile(
      join(project, 'package-lock.json'),
      lockfileWithoutResolved([...viewed, ...installedTree]),
    );

    try {
      // Act
      const result = await consumer.npm(['ci'], { cwd: project, env: noRetries });

      // Assess
      expect(result.code, result.stderr).toBe(0);
      expect(await missing(project, [...viewed, ...installedTree])).toEqual([]);
    } finally {
      await consumer.remove();
    }
  });

  it('answers npm view of a package only ever installed, and the abbreviated form of one only viewed, marked stale', async () => {
    // Prepare
    const consumer = await createNpmClient(proxy.url);
    const onlyInstalled = treeName(1, INSTALLED);

    try {
      // Act
      const view = await consumer.npm(['view', onlyInstalled, 'version'], { env: noRetries });
      const full = await request(proxy, packagePath(onlyInstalled));
      const abbreviated = await request(proxy, packagePath(treeName(4, VIEWED)), {
        headers: { accept: 'application/vnd.npm.install-v1+json' },
      });

      // Assess
      expect(view.code, view.stderr).toBe(0);
      expect(view.stdout.trim()).toBe('1.0.0');
      expect(full.headers.warning).toBe('110 - "Response is Stale"');
      expect(abbreviated.status).toBe(200);
      expect(abbreviated.headers['content-type']).toBe('application/vnd.npm.install-v1+json');
      expect(abbreviated.headers.warning).toBe('110 - "Response is Stale"');
      expect(abbreviated.json).not.toHaveProperty('time');
    } finally {
      await consumer.remove();
    }
  });
});
