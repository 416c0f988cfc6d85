import { describe, expect, it } from 'vitest';
import { writePackage } from './support/fixtures.ts';
import { packagePath, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';

interface Viewed {
  name: string;
  description?: string;
  version: string;
  versions: string[];
  'dist-tags': Record<string, string>;
  time: Record<string, string>;
  deprecated?: string;
  dist: { tarball: string; integrity: string; shasum: string };
}

/**
 * One package's life through the npm CLI — publish, tag, view, deprecate, unpublish — once
 * unscoped and once scoped, on one server.
 */
describe.each([
  { name: 'e2e-lifecycle', keyword: 'lifecycle-unscoped' },
  { name: '@e2e/lifecycle', keyword: 'lifecycle-scoped' },
])('npm publish lifecycle of $name', { timeout: 120_000 }, ({ name, keyword }) => {
  const session = useNpmSession({ label: 'lifecycle', user: 'publisher' });

  const publish = async (version: string, extraArgs: string[] = []) => {
    const dir = await writePackage(session.work, {
      name,
      version,
      description: `The ${name} package, version ${version}`,
      keywords: [keyword, 'e2e'],
    });
    return await session.client.npm(['publish', ...extraArgs], { cwd: dir });
  };

  const view = async (spec: string) =>
    JSON.parse((await session.client.npmOk(['view', spec, '--json'])).stdout) as Viewed;

  it('publishes the first version with npm publish', async () => {
    // Act
    const result = await publish('1.0.0');

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`+ ${name}@1.0.0`);
  });

  it('publishes a prerelease under --tag beta without moving latest', async () => {
    // Act
    const result = await publish('1.1.0-beta.0', ['--tag', 'beta']);
    const viewed = await view(name);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(viewed['dist-tags']).toEqual({ latest: '1.0.0', beta: '1.1.0-beta.0' });
    expect((await view(`${name}@beta`)).version).toBe('1.1.0-beta.0');
  });

  it('shows the full packument with npm view: versions, tags, times and tarball URLs on this server', async () => {
    // Prepare
    await publish('1.0.1');

    // Act
    const viewed = await view(name);

    // Assess
    expect(viewed.name).toBe(name);
    expect(viewed.version).toBe('1.0.1');
    expect(viewed.description).toBe(`The ${name} package, version 1.0.1`);
    expect(viewed.versions).toEqual(['1.0.0', '1.0.1', '1.1.0-beta.0']);
    expect(viewed['dist-tags']).toEqual({ latest: '1.0.1', beta: '1.1.0-beta.0' });
    expect(Object.keys(viewed.time).sort()).toEqual([
      '1.0.0',
      '1.0.1',
      '1.1.0-beta.0',
      'created',
      'modified',
    ]);
    expect(Date.parse(viewed.time.modified ?? '')).toBeGreaterThanOrEqual(
      Date.parse(viewed.time['1.0.1'] ?? ''),
    );
    expect(viewed.dist.tarball.startsWith(session.server.url)).toBe(true);
    expect(viewed.dist.integrity).toMatch(/^sha512-/);
  });

  it('refuses to publish over an existing version: npm checks first, the registry answers E409 to --force', async () => {
    // Act
    const checked = await publish('1.0.0');
    const forced = await publish('1.0.0', ['--force']);

    // Assess
    expect(checked.code).not.toBe(0);
    expect(checked.stderr).toContain('cannot publish over the previously published versions: 1.0.0');
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toMatch(/E409/);
    expect(forced.stderr).toContain('cannot publish over the previously published versions: 1.0.0');
  });

  it('adds, lists and removes dist-tags with npm dist-tag', async () => {
    // Act
    const added = await session.client.npmOk(['dist-tag', 'add', `${name}@1.0.0`, 'stable']);
    const listed = await session.client.npmOk(['dist-tag', 'ls', name]);
    const removed = await session.client.npmOk(['dist-tag', 'rm', name, 'stable']);
    const after = await session.client.npmOk(['dist-tag', 'ls', name]);

    // Assess
    expect(added.stdout).toContain(`+stable: ${name}@1.0.0`);
    expect(listed.stdout.trim().split('\n')).toEqual([
      'beta: 1.1.0-beta.0',
      'latest: 1.0.1',
      'stable: 1.0.0',
    ]);
    expect(removed.stdout).toContain(`-stable: ${name}@1.0.0`);
    expect(after.stdout.trim().split('\n')).toEqual(['beta: 1.1.0-beta.0', 'latest: 1.0.1']);
  });

  it('moves latest with npm dist-tag add', async () => {
    // Act
    await session.client.npmOk(['dist-tag', 'add', `${name}@1.0.0`, 'latest']);
    const moved = await view(name);
    await session.client.npmOk(['dist-tag', 'add', `${name}@1.0.1`, 'latest']);

    // Assess
    expect(moved['dist-tags'].latest).toBe('1.0.0');
    expect((await view(name))['dist-tags'].latest).toBe('1.0.1');
  });

  it('refuses to remove the latest dist-tag', async () => {
    // Act
    const result = await session.client.npm(['dist-tag', 'rm', name, 'latest']);

    // Assess
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/E4\d\d/);
    expect((await view(name))['dist-tags'].latest).toBe('1.0.1');
  });

  it('refuses a dist-tag pointing at a version that was never published', async () => {
    // Act
    const result = await session.client.npm(['dist-tag', 'add', `${name}@9.9.9`, 'future']);

    // Assess
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/E4\d\d/);
    expect((await view(name))['dist-tags'].future).toBeUndefined();
  });

  it('deprecates a version with npm deprecate and undeprecates it with npm undeprecate', async () => {
    // Act
    const deprecated = await session.client.npm(['deprecate', `${name}@1.0.0`, 'use 1.0.1 instead']);
    const whileDeprecated = await view(`${name}@1.0.0`);
    const undeprecated = await session.client.npm(['undeprecate', `${name}@1.0.0`]);
    const afterwards = await view(`${name}@1.0.0`);

    // Assess
    expect(deprecated.code, deprecated.stderr).toBe(0);
    expect(whileDeprecated.deprecated).toBe('use 1.0.1 instead');
    expect((await view(`${name}@1.0.1`)).deprecated).toBeUndefined();
    expect(undeprecated.code, undeprecated.stderr).toBe(0);
    expect(afterwards.deprecated ?? '').toBe('');
  });

  it('undeprecates with npm deprecate and an empty message too', async () => {
    // Prepare
    await session.client.npmOk(['deprecate', `${name}@1.0.1`, 'temporarily broken']);

    // Act
    const result = await session.client.npm(['deprecate', `${name}@1.0.1`, '']);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect((await view(`${name}@1.0.1`)).deprecated ?? '').toBe('');
  });

  it('finds the package with npm search by name, description and keyword', async () => {
    // Act
    const byName = JSON.parse((await session.client.npmOk(['search', '--json', 'lifecycle'])).stdout) as {
      name: string;
    }[];
    const byKeyword = JSON.parse((await session.client.npmOk(['search', '--json', keyword])).stdout) as {
      name: string;
      description: string;
    }[];

    // Assess
    expect(byName.map((hit) => hit.name)).toContain(name);
    expect(byKeyword.map((hit) => hit.name)).toEqual([name]);
    expect(byKeyword[0]?.description).toBe(`The ${name} package, version 1.0.1`);
  });

  it('unpublishes one version with npm unpublish name@version, tarball and tag included', async () => {
    // Prepare
    const tarball = (await view(`${name}@1.1.0-beta.0`)).dist.tarball;

    // Act
    const result = await session.client.npm(['unpublish', `${name}@1.1.0-beta.0`]);
    const viewed = await view(name);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(viewed.versions).toEqual(['1.0.0', '1.0.1']);
    expect(viewed['dist-tags']).toEqual({ latest: '1.0.1' });
    expect((await request(session.server, new URL(tarball).pathname)).status).toBe(404);
  });

  it('refuses to republish an unpublished version with E409', async () => {
    // Act
    const result = await publish('1.1.0-beta.0', ['--tag', 'beta']);

    // Assess
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/E409/);
  });

  it('unpublishes the whole package with npm unpublish --force', async () => {
    // Act
    const result = await session.client.npm(['unpublish', name, '--force']);
    const viewed = await session.client.npm(['view', name, '--json']);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(viewed.code).not.toBe(0);
    expect(viewed.stderr).toMatch(/E404/);
    expect((await request(session.server, packagePath(name))).status).toBe(404);
    const search = JSON.parse(
      (await session.client.npmOk(['search', '--json', keyword])).stdout,
    ) as unknown[];
    expect(search).toEqual([]);
  });

  it('keeps versions immutable after the whole package was unpublished (E409), but takes new ones', async () => {
    // Act
    const again = await publish('1.0.0');
    const fresh = await publish('2.0.0');

    // Assess
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/E409/);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect((await view(name)).versions).toEqual(['2.0.0']);
  });
});
