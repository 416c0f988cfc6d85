import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedVersion, tempDir, writePackage, writeProject } from './support/fixtures.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import { createNpmClient, type NpmClient } from './support/npmClient.ts';
import { packPackages, publishPacked } from './support/packageTree.ts';
import { type RecordingFront, startRecordingFront } from './support/recordingFront.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';

/**
 * Private packages win: the upstream (our own server behind a recording front) holds
 * `@myorg/secret@99.0.0` and `private-pkg@99.0.0`, published there after this registry's own
 * `private-pkg@1.0.0`, as an attacker would; with `@myorg` private, nothing of either may come
 * through, and the front proves the private scope was never even asked for.
 */
describe('dependency confusion through the upstream proxy', { timeout: 180_000 }, () => {
  let upstream: RegistryServer;
  let front: RecordingFront;
  let proxy: RegistryServer;
  let publisher: NpmClient;
  let work: string;

  const publish = async (client: NpmClient, spec: Parameters<typeof writePackage>[1]) => {
    const dir = await writePackage(join(work, 'src'), spec);
    return await client.npm(['publish'], { cwd: dir });
  };

  /** Runs `use` with a fresh npm client of the proxy and a project in `folder` that depends on `dependencies`. */
  const withConsumer = async (
    folder: string,
    dependencies: Record<string, string>,
    use: (consumer: NpmClient, project: string) => Promise<void>,
  ) => {
    const consumer = await createNpmClient(proxy.url);
    try {
      await use(consumer, await writeProject(join(work, folder), dependencies));
    } finally {
      await consumer.remove();
    }
  };

  beforeAll(async () => {
    work = await tempDir('proxy-confusion');
    upstream = await startRegistry();
    front = await startRecordingFront(upstream.url);
    proxy = await startRegistry({
      env: {
        REGISTRY_UPSTREAM: front.url,
        REGISTRY_PRIVATE_SCOPES: '@myorg',
        REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM: 'forked-*',
      },
    });
    publisher = await createNpmClient(proxy.url);
    const insider = await createUser(proxy, 'insider');
    await publisher.setToken(insider);
    const attacker = await createUser(upstream, 'attacker');

    // Prepare: the private packages first, then the public ones an attacker publishes upstream,
    // packed by one npm and sent with npm's publish body (npm publish itself is tested below).
    const packed = await packPackages(join(work, 'packed'), [
      { name: 'private-pkg', version: '1.0.0' },
      { name: '@myorg/tool', version: '1.0.0' },
      { name: 'private-pkg', version: '99.0.0' },
      { name: '@myorg/secret', version: '99.0.0' },
      { name: '@myorg/tool', version: '99.0.0' },
      { name: 'public-dep', version: '1.0.0' },
      { name: 'forked-lib', version: '1.0.0' },
    ]);
    await publishPacked(proxy.url, insider, packed.slice(0, 2));
    await publishPacked(upstream.url, attacker, packed.slice(2));
  }, 120_000);

  afterAll(async () => {
    await publisher?.remove();
    await proxy?.stop();
    await front?.close();
    await upstream?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('resolves installs to the private packages only', async () => {
    // Prepare
    await withConsumer(
      'install',
      { 'private-pkg': '*', '@myorg/tool': '*', 'public-dep': '^1.0.0' },
      async (consumer, project) => {
        // Act
        const result = await consumer.npm(['install'], { cwd: project });
        const packument = await request(proxy, '/private-pkg');
        const upstreamTarball = await request(proxy, '/private-pkg/-/private-pkg-99.0.0.tgz');
        const pinned = await consumer.npm(['install', 'private-pkg@99.0.0'], { cwd: project });
        const publicTags = await consumer.npm(['dist-tag', 'ls', 'public-dep'], { cwd: project });
        const privateTags = await consumer.npm(['dist-tag', 'ls', 'private-pkg'], { cwd: project });

        // Assess
        expect(result.code, result.stderr).toBe(0);
        expect(await installedVersion(project, 'private-pkg')).toBe('1.0.0');
        expect(await installedVersion(project, '@myorg/tool')).toBe('1.0.0');
        expect(await installedVersion(project, 'public-dep')).toBe('1.0.0');
        expect(Object.keys((packument.json as { versions: object }).versions)).toEqual(['1.0.0']);
        expect(upstreamTarball.status).toBe(404);
        expect(pinned.code).not.toBe(0);
        expect(pinned.stderr).toMatch(/ETARGET|No matching version/);
        expect(publicTags.stdout.trim()).toBe('latest: 1.0.0');
        expect(privateTags.stdout.trim()).toBe('latest: 1.0.0');
      },
    );
  });

  it('answers 404 for a package of a private scope that only the upstream has, without asking it', async () => {
    // Prepare
    await withConsumer('secret', {}, async (consumer, project) => {
      // Act
      const direct = await request(proxy, packagePath('@myorg/secret'));
      const tarball = await request(proxy, '/@myorg/secret/-/secret-99.0.0.tgz');
      const install = await consumer.npm(['install', '@myorg/secret'], { cwd: project });

      // Assess
      expect(direct.status).toBe(404);
      expect(direct.json).toMatchObject({ error: 'no such package available' });
      expect(tarball.status).toBe(404);
      expect(install.code).not.toBe(0);
      expect(install.stderr).toMatch(/E404/);
      expect(front.requests.filter((line) => /@myorg|%40myorg/i.test(line))).toEqual([]);
    });
  });

  it('refuses to publish a name only the upstream has, unless the configuration allows it', async () => {
    // Act
    const refused = await publish(publisher, { name: 'public-dep', version: '2.0.0' });
    const allowed = await publish(publisher, { name: 'forked-lib', version: '2.0.0' });
    const privateUpdate = await publish(publisher, { name: 'private-pkg', version: '1.1.0' });
    const forked = await request(proxy, '/forked-lib');

    // Assess
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403 Forbidden/);
    expect(refused.stderr).toMatch(/public-dep is a package on the upstream registry/);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(privateUpdate.code, privateUpdate.stderr).toBe(0);
    // The fork is served from here alone: the upstream's 1.0.0 is not merged in.
    expect(Object.keys((forked.json as { versions: object }).versions)).toEqual(['2.0.0']);
  });

  it('runs npm audit through the registry without telling the upstream about private packages', async () => {
    // Prepare
    front.auditAnswer = {
      'public-dep': [
        {
          id: 1001,
          url: 'https://advisories.example.test/1001',
          title: 'Prototype pollution in public-dep',
          severity: 'high',
          vulnerable_versions: '<2.0.0',
          cwe: ['CWE-1321'],
          cvss: { score: 7.5, vectorString: null },
        },
      ],
    };
    await withConsumer(
      'audit',
      { 'private-pkg': '1.0.0', '@myorg/tool': '1.0.0', 'public-dep': '1.0.0' },
      async (consumer, project) => {
        await consumer.npmOk(['install'], { cwd: project });

        // Act
        const audit = await consumer.npm(['audit', '--json'], { cwd: project });

        // Assess
        const report = JSON.parse(audit.stdout) as { vulnerabilities: Record<string, { severity: string }> };
        expect(Object.keys(report.vulnerabilities)).toEqual(['public-dep']);
        expect(report.vulnerabilities['public-dep']?.severity).toBe('high');
        expect(front.audits.map((audit) => audit.path)).toEqual(['/-/npm/v1/security/advisories/bulk']);
        expect(front.audits[0]?.body).toEqual({ 'public-dep': ['1.0.0'] });
      },
    );
  });
});
