import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from './support/adminCli.ts';
import { installedVersion, publishBody, tempDir, writeProject } from './support/fixtures.ts';
import { type FixtureUpstream, startFixtureUpstream } from './support/fixtureUpstream.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import { createNpmClient, type NpmClient } from './support/npmClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OLD = 30 * DAY;
const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const LOCAL = '@myorg/tool';

interface Served {
  'dist-tags': Record<string, string>;
  versions: Record<string, unknown>;
  time?: Record<string, string>;
}

/**
 * The supply-chain policy end to end: a loopback upstream serves packuments whose `time` makes some
 * versions an hour old and others 30 days; the registry proxies it with a 3-day minimum release
 * age, and its block list is changed with the real `myorg-admin block` on the registry's storage.
 */
describe('supply-chain policy', { timeout: 240_000 }, () => {
  let upstream: FixtureUpstream;
  let registry: RegistryServer;
  let client: NpmClient;
  let work: string;

  beforeAll(async () => {
    work = await tempDir('supply-chain');
    upstream = await startFixtureUpstream([
      // latest is the young 1.2.0. The backport 1.0.5 came after 1.1.0: by date it would be the
      // fallback, by semver (as it must be) 1.1.0 is.
      {
        name: 'aged',
        versions: { '1.0.0': OLD, '1.1.0': 20 * DAY, '1.0.5': 10 * DAY, '1.2.0': HOUR },
        latest: '1.2.0',
      },
      { name: 'urgent', versions: { '1.0.0': OLD, '1.1.0': HOUR }, latest: '1.1.0' },
      { name: 'patched', versions: { '1.0.0': OLD, '1.0.1': OLD, '1.1.0': OLD }, latest: '1.1.0' },
    ]);
    registry = await startRegistry({
      env: {
        REGISTRY_UPSTREAM: upstream.url,
        REGISTRY_MIN_RELEASE_AGE: '3d',
        REGISTRY_MIN_RELEASE_AGE_ALLOW: 'urgent',
      },
    });
    const token = await createUser(registry, 'publisher');
    // Published seconds ago: local packages are not held back unless an override names them.
    for (const version of ['1.0.0', '1.0.1', '1.1.0']) {
      const published = await request(registry, packagePath(LOCAL), {
        method: 'PUT',
        token,
        body: await publishBody(LOCAL, version),
      });
      expect(published.status, published.text).toBe(201);
    }
    client = await createNpmClient(registry.url);
  }, 120_000);

  afterAll(async () => {
    await client?.remove();
    await registry?.stop();
    await upstream?.close();
    await rm(work, { recursive: true, force: true });
  });

  async function packument(name: string, accept = CORGI): Promise<Served> {
    const answer = await request(registry, packagePath(name), { headers: { accept } });
    expect(answer.status, answer.text).toBe(200);
    return answer.json as Served;
  }

  /** Waits (bounded) until every instance would apply a block list change: the packument shows it. */
  async function untilServed(name: string, version: string, served: boolean): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Object.hasOwn((await packument(name)).versions, version) !== served) {
      if (Date.now() > deadline)
        throw new Error(`${name}@${version} still ${served ? 'withheld' : 'served'}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('leaves young versions out of both forms, falls latest back by semver and keeps time in the abbreviated form', async () => {
    // Act
    const abbreviated = await packument('aged');
    const full = await packument('aged', 'application/json');

    // Assess
    for (const served of [abbreviated, full]) {
      expect(Object.keys(served.versions).sort()).toEqual(['1.0.0', '1.0.5', '1.1.0']);
      expect(served['dist-tags'].latest).toBe('1.1.0');
      expect(Object.keys(served.time ?? {})).not.toContain('1.2.0');
    }
    expect(abbreviated.time?.['1.1.0']).toMatch(/^\d{4}-/);
  });

  it('refuses the young version’s tarball with the policy and when it becomes available', async () => {
    // Act
    const answer = await request(registry, '/aged/-/aged-1.2.0.tgz');

    // Assess
    expect(answer.status).toBe(404);
    expect((answer.json as { error: string }).error).toMatch(
      /aged@1\.2\.0 is held back by this registry's minimum release age of 3d .*becomes available at \d{4}-/,
    );
  });

  it('has npm install the newest old-enough version for ^ ranges and latest, and an allow-listed young one', async () => {
    // Prepare
    const ranged = await writeProject(join(work, 'npm-range'), { aged: '^1.0.0', urgent: '^1.0.0' });
    const tagged = await writeProject(join(work, 'npm-latest'), { aged: 'latest' });

    // Act
    await client.npmOk(['install'], { cwd: ranged });
    await client.npmOk(['install'], { cwd: tagged });
    const young = await client.npm(['install', 'aged@1.2.0'], { cwd: tagged });

    // Assess
    expect(young.code).not.toBe(0);
    expect(young.stderr).toMatch(
      /E403[\s\S]*aged@1\.2\.0 is held back by this registry's minimum release age of 3d/,
    );
    expect(await installedVersion(ranged, 'aged')).toBe('1.1.0');
    expect(await installedVersion(ranged, 'urgent')).toBe('1.1.0');
    expect(await installedVersion(tagged, 'aged')).toBe('1.1.0');
  });

  it('has pnpm do the same', async () => {
    // Prepare
    const ranged = await writeProject(join(work, 'pnpm-range'), { aged: '^1.0.0', urgent: '^1.0.0' });
    const tagged = await writeProject(join(work, 'pnpm-latest'), { aged: 'latest' });

    // Act
    const first = await client.pnpm(['install'], { cwd: ranged });
    const second = await client.pnpm(['install'], { cwd: tagged });

    // Assess
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(await installedVersion(ranged, 'aged')).toBe('1.1.0');
    expect(await installedVersion(ranged, 'urgent')).toBe('1.1.0');
    expect(await installedVersion(tagged, 'aged')).toBe('1.1.0');
  });

  it.each([
    ['a proxied package', 'patched', 'CVE-2026-1234: steals tokens'],
    ['a local package', LOCAL, 'broken build, use 1.0.1'],
  ])(
    'blocks a version of %s: npm shows the reason, ranges resolve past it, removing the block restores it',
    async (_kind, name, reason) => {
      // Prepare
      const storage = registry.storage;
      const added = await runAdmin(storage, [
        'block',
        'add',
        `${name}@1.1.0`,
        '--reason',
        reason,
        '--storage',
        storage.url,
      ]);
      expect(added.code, added.stderr).toBe(0);
      await untilServed(name, '1.1.0', false);
      const slug = name.replace(/\W/g, '-');
      const exact = await writeProject(join(work, `${slug}-exact`), {});
      const ranged = await writeProject(join(work, `${slug}-range`), { [name]: '^1.0.0' });

      // Act
      const refused = await client.npm(['install', `${name}@1.1.0`], { cwd: exact });
      await client.npmOk(['install'], { cwd: ranged });
      const tarball = await request(
        registry,
        `${packagePath(name)}/-/${name.replace(/^@.*\//, '')}-1.1.0.tgz`,
      );
      const removed = await runAdmin(storage, ['block', 'rm', `${name}@1.1.0`, '--storage', storage.url]);
      await untilServed(name, '1.1.0', true);
      const restored = await client.npm(['install', `${name}@1.1.0`], { cwd: exact });
      const trail = await runAdmin(storage, ['audit', '--package', name, '--json', '--storage', storage.url]);

      // Assess
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('E403');
      expect(refused.stderr).toContain(`${name}@1.1.0 is blocked by this registry's block list`);
      expect(refused.stderr).toContain(reason);
      expect(await installedVersion(ranged, name)).toBe('1.0.1');
      expect(tarball.status).toBe(403);
      expect((tarball.json as { error: string }).error).toContain(reason);
      expect(removed.code, removed.stderr).toBe(0);
      expect(restored.code, restored.stderr).toBe(0);
      expect(await installedVersion(exact, name)).toBe('1.1.0');
      // Both changes are in the audit trail, once each, with the range and the reason.
      expect(trail.code, trail.stderr).toBe(0);
      const changes = trail.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { action: string; version?: string; detail?: string })
        .filter((event) => event.action === 'block' || event.action === 'unblock');
      expect(changes).toEqual([
        expect.objectContaining({ action: 'block', version: '1.1.0', detail: reason }),
        expect.objectContaining({ action: 'unblock', version: '1.1.0', detail: reason }),
      ]);
    },
  );
});
