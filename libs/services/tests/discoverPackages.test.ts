import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dependencyLevels, discoverPackages, readPublishable } from '../src/publish/index.ts';
import { tempDir, writePackage } from './helpers/tempDir.ts';

describe('discoverPackages', () => {
  it('lists the public packages of the scope, sorted, with the entry files they lack', async () => {
    // Prepare
    const dir = await tempDir();
    await writePackage(join(dir, 'zeta'), { name: '@myorg/zeta', version: '1.0.0' });
    await writePackage(join(dir, 'alpha'), {
      name: '@myorg/alpha',
      version: '2.0.0',
      types: './dist/index.d.ts',
    });
    await writePackage(join(dir, 'secret'), { name: '@myorg/secret', version: '1.0.0', private: true });
    await writePackage(join(dir, 'other'), { name: '@else/other', version: '1.0.0' });
    await writePackage(join(dir, 'raw'), { name: '@myorg/raw', version: '1.0.0' }, { built: false });

    // Act
    const found = discoverPackages(dir, '@myorg');

    // Assess
    expect(found).toEqual([
      {
        name: '@myorg/alpha',
        version: '2.0.0',
        dir: join(dir, 'alpha'),
        dependencies: [],
        missingFiles: ['./dist/index.d.ts'],
      },
      {
        name: '@myorg/raw',
        version: '1.0.0',
        dir: join(dir, 'raw'),
        dependencies: [],
        missingFiles: ['./dist/index.js'],
      },
      { name: '@myorg/zeta', version: '1.0.0', dir: join(dir, 'zeta'), dependencies: [], missingFiles: [] },
    ]);
  });

  it('puts each package after the packages it depends on, whatever their names', async () => {
    // Prepare: logger → error → constants, and api needs logger and constants.
    const dir = await tempDir();
    const library = (name: string, deps: string[], peer: string[] = []) =>
      writePackage(join(dir, name), {
        name: `@myorg/${name}`,
        version: '1.0.0',
        dependencies: Object.fromEntries(deps.map((dep) => [`@myorg/${dep}`, '^1.0.0'])),
        peerDependencies: Object.fromEntries(peer.map((dep) => [`@myorg/${dep}`, '^1.0.0'])),
      });
    await library('api', ['logger'], ['constants']);
    await library('logger', ['error']);
    await library('error', ['constants']);
    await library('constants', []);
    await library('array', []);

    // Act
    const found = discoverPackages(dir, '@myorg');

    // Assess
    expect(found.map((pkg) => pkg.name)).toEqual([
      '@myorg/array',
      '@myorg/constants',
      '@myorg/error',
      '@myorg/logger',
      '@myorg/api',
    ]);
    expect(found.at(-1)?.dependencies).toEqual(['@myorg/logger', '@myorg/constants']);
  });

  it('refuses a dependency cycle, naming the packages it holds back', () => {
    const pkg = (name: string, dependencies: string[]) => ({
      name,
      version: '1.0.0',
      dir: name,
      dependencies,
    });

    expect(() => dependencyLevels([pkg('a', ['b']), pkg('b', ['c']), pkg('c', ['b']), pkg('d', [])])).toThrow(
      'no publish order: a dependency cycle holds back a, b, c',
    );
    expect(dependencyLevels([pkg('a', ['a', 'lodash']), pkg('b', ['a'])])).toEqual([
      [pkg('a', ['a', 'lodash'])],
      [pkg('b', ['a'])],
    ]);
  });

  it('reads one folder: nothing without a package.json, outside the scope or private', async () => {
    const dir = await tempDir();
    await writePackage(join(dir, 'open'), { name: 'open', version: '1.0.0' });
    await writePackage(join(dir, 'unversioned'), { name: '@myorg/unversioned' });

    expect(readPublishable(dir)).toBeUndefined();
    expect(readPublishable(join(dir, 'open'))).toMatchObject({ name: 'open', version: '1.0.0' });
    expect(readPublishable(join(dir, 'open'), '@myorg')).toBeUndefined();
    expect(readPublishable(join(dir, 'unversioned'))).toBeUndefined();
  });

  it('finds every public library of this workspace, each after its workspace dependencies', async () => {
    const libs = resolve(import.meta.dirname, '../..');
    const expected: string[] = [];
    for (const folder of await readdir(libs)) {
      const manifest = JSON.parse(await readFile(join(libs, folder, 'package.json'), 'utf8'));
      if (!manifest.private) expected.push(manifest.name);
    }

    const found = discoverPackages(libs, '@myorg');

    expect(found.map((pkg) => pkg.name).sort()).toEqual(expected.sort());
    const names = found.map((pkg) => pkg.name);
    for (const [index, pkg] of found.entries()) {
      for (const dep of pkg.dependencies.filter((name) => names.includes(name))) {
        expect(names.indexOf(dep), `${dep} before ${pkg.name}`).toBeLessThan(index);
      }
    }
  });
});
