import { describe, expect, it } from 'vitest';
import { publishBody, sha512Integrity, writePackage } from './support/fixtures.ts';
import { packagePath, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';

const publishers = 20;

interface Packument {
  versions: Record<string, { dist: { tarball: string; integrity: string } }>;
  'dist-tags': Record<string, string>;
  time: Record<string, string>;
}

describe('concurrent writes to one package', { timeout: 180_000 }, () => {
  const session = useNpmSession({ label: 'concurrent', user: 'racer' });

  const packument = async (name: string) =>
    (await request(session.server, packagePath(name))).json as Packument;

  /** Every listed version's tarball downloads and matches its recorded integrity. */
  const expectTarballsIntact = async (name: string) => {
    for (const [version, { dist }] of Object.entries((await packument(name)).versions)) {
      const tarball = await request(session.server, new URL(dist.tarball).pathname);
      expect(tarball.status, `${name}@${version}`).toBe(200);
      expect(sha512Integrity(tarball.body), `${name}@${version}`).toBe(dist.integrity);
    }
  };

  it.each([
    { name: 'e2e-race-new', existing: false },
    { name: '@e2e/race-existing', existing: true },
  ])(
    `accepts ${publishers} concurrent npm publishes of $name (existing: $existing)`,
    async ({ name, existing }) => {
      // Prepare
      if (existing)
        await session.client.npmOk(['publish'], {
          cwd: await writePackage(session.work, { name, version: '0.1.0' }),
        });
      const versions = Array.from({ length: publishers }, (_, index) => `1.0.${index}`);
      const dirs = await Promise.all(
        versions.map((version) => writePackage(session.work, { name, version })),
      );

      // Act: --force, or npm itself refuses a version lower than one a faster sibling already published.
      const results = await Promise.all(
        dirs.map((cwd) => session.client.npm(['publish', '--force'], { cwd })),
      );

      // Assess
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      const after = await packument(name);
      const expected = existing ? ['0.1.0', ...versions] : versions;
      expect(Object.keys(after.versions).sort()).toEqual([...expected].sort());
      for (const version of expected) expect(after.time[version], version).toEqual(expect.any(String));
      expect(expected).toContain(after['dist-tags'].latest);
      await expectTarballsIntact(name);
    },
  );

  it('keeps every dist-tag and every version when tag changes and publishes race', async () => {
    // Prepare
    const name = 'e2e-race-tags';
    const first = await request(session.server, packagePath(name), {
      method: 'PUT',
      token: session.token,
      body: await publishBody(name, '1.0.0'),
    });
    expect(first.status).toBe(201);
    const tags = Array.from({ length: 10 }, (_, index) => `channel-${index}`);
    const versions = Array.from({ length: 10 }, (_, index) => `2.0.${index}`);
    const bodies = await Promise.all(
      versions.map((version, index) => publishBody(name, version, { tag: `next-${index}` })),
    );

    // Act
    const results = await Promise.all([
      ...tags.map((tag) =>
        request(session.server, `/-/package/${name}/dist-tags/${tag}`, {
          method: 'PUT',
          token: session.token,
          body: JSON.stringify('1.0.0'),
        }),
      ),
      ...bodies.map((body) =>
        request(session.server, packagePath(name), { method: 'PUT', token: session.token, body }),
      ),
    ]);

    // Assess
    for (const result of results) expect(result.status, result.text).toBeLessThan(300);
    const after = await packument(name);
    expect(Object.keys(after.versions).sort()).toEqual(['1.0.0', ...versions].sort());
    for (const tag of tags) expect(after['dist-tags'][tag], tag).toBe('1.0.0');
    for (const [index, version] of versions.entries())
      expect(after['dist-tags'][`next-${index}`]).toBe(version);
    await expectTarballsIntact(name);
  });
});
