import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverPackages } from '../src/publish/discoverPackages.ts';
import { writeLibrary } from './support/fixtures.ts';
import { tempDir } from './support/testIo.ts';

describe('discoverPackages', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(async () => {
    await remove();
  });

  it('lists the public packages of the scope, sorted, with the entry files they lack', async () => {
    // Prepare
    await writeLibrary(dir, 'zeta', { name: '@myorg/zeta', version: '1.0.0' });
    await writeLibrary(dir, 'alpha', { name: '@myorg/alpha', version: '2.0.0', types: './dist/index.d.ts' });
    await writeLibrary(dir, 'secret', { name: '@myorg/secret', version: '1.0.0', private: true });
    await writeLibrary(dir, 'other', { name: '@else/other', version: '1.0.0' });
    await writeLibrary(dir, 'raw', { name: '@myorg/raw', version: '1.0.0' }, { built: false });

    // Act
    const found = await discoverPackages(dir, '@myorg');

    // Assess
    expect(found).toEqual([
      {
        name: '@myorg/alpha',
        version: '2.0.0',
        dir: join(dir, 'alpha'),
        missingFiles: ['./dist/index.d.ts'],
      },
      { name: '@myorg/raw', version: '1.0.0', dir: join(dir, 'raw'), missingFiles: ['./dist/index.js'] },
      { name: '@myorg/zeta', version: '1.0.0', dir: join(dir, 'zeta'), missingFiles: [] },
    ]);
  });

  it('finds every public library of this workspace', async () => {
    const libs = resolve(import.meta.dirname, '../../../libs');
    const expected: string[] = [];
    for (const folder of await readdir(libs)) {
      const manifest = JSON.parse(await readFile(join(libs, folder, 'package.json'), 'utf8'));
      if (!manifest.private) expected.push(manifest.name);
    }

    const found = await discoverPackages(libs, '@myorg');

    expect(found.map((pkg) => pkg.name)).toEqual(expected.sort((a, b) => a.localeCompare(b)));
  });
});
