import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smokeCalls } from './smokeCalls.ts';

const run = promisify(execFile);
const workspace = resolve(import.meta.dirname, '../../..');

interface LibraryPackage {
  name: string;
  dir: string;
}

/** What `npm pack --json` reports for one tarball. */
interface Packed {
  name: string;
  filename: string;
  files: { path: string }[];
}

async function publishedLibraries(): Promise<LibraryPackage[]> {
  const libs: LibraryPackage[] = [];
  for (const entry of await readdir(join(workspace, 'libs'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(workspace, 'libs', entry.name);
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    if (!manifest.private) libs.push({ name: manifest.name, dir });
  }
  return libs;
}

function consumerScript(kind: 'esm' | 'cjs'): string {
  const lines = Object.entries(smokeCalls).map(([name, { call }]) => {
    const load =
      kind === 'esm' ? `await import(${JSON.stringify(name)})` : `require(${JSON.stringify(name)})`;
    return `  try { const m = ${load}; out[${JSON.stringify(name)}] = await (${call}); } catch (e) { out[${JSON.stringify(name)}] = { failed: String(e && e.stack || e) }; }`;
  });
  const body = ['const out = {};', ...lines, 'console.log(JSON.stringify(out));'].join('\n');
  return kind === 'esm' ? body : `(async () => {\n${body}\n})();`;
}

describe('packed @myorg libraries', () => {
  let root: string;
  let consumer: string;
  let libraries: LibraryPackage[];
  let packed: Packed[];

  beforeAll(async () => {
    // Prepare: pack every public library exactly as `npm publish` would, then install the tarballs
    // into a project outside the workspace so nothing resolves through workspace links.
    libraries = await publishedLibraries();
    root = await mkdtemp(join(tmpdir(), 'myorg-packaging-'));
    const tarballs = join(root, 'tarballs');
    consumer = join(root, 'consumer');
    await mkdir(tarballs);
    await mkdir(consumer);
    const { stdout } = await run(
      'npm',
      [
        'pack',
        '--json',
        '--pack-destination',
        tarballs,
        ...libraries.flatMap((lib) => ['--workspace', lib.dir]),
      ],
      { cwd: workspace, maxBuffer: 64 * 1024 * 1024 },
    );
    packed = JSON.parse(stdout) as Packed[];
    expect(packed).toHaveLength(libraries.length);
    await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...packed.map((p) => join(tarballs, p.filename)),
      ],
      { cwd: consumer, maxBuffer: 64 * 1024 * 1024 },
    );
  });

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('has a smoke call for every published library', () => {
    expect(Object.keys(smokeCalls).sort()).toEqual(libraries.map((lib) => lib.name).sort());
  });

  it('ships only the build output and the README in each tarball', () => {
    // The tarballs packed above, so each library is packed once.
    for (const lib of libraries) {
      const paths = (packed.find((entry) => entry.name === lib.name)?.files ?? []).map((file) => file.path);
      expect(paths, lib.name).toContain('dist/index.js');
      expect(paths, lib.name).toContain('dist/index.cjs');
      expect(paths, lib.name).toContain('dist/index.d.ts');
      expect(paths, lib.name).toContain('dist/index.d.cts');
      expect(paths, lib.name).toContain('README.md');
      const stray = paths.filter((path) => !/^(dist\/|README\.md$|package\.json$|CHANGELOG\.md$)/.test(path));
      expect(stray, lib.name).toEqual([]);
    }
  });

  it.each(['esm', 'cjs'] as const)('works when loaded with %s from an installed tarball', async (kind) => {
    // Act
    const file = join(consumer, kind === 'esm' ? 'smoke.mjs' : 'smoke.cjs');
    await writeFile(file, consumerScript(kind));
    const { stdout } = await run(process.execPath, [file], { cwd: consumer });

    // Assess
    const results = JSON.parse(stdout) as Record<string, unknown>;
    for (const [name, { expected }] of Object.entries(smokeCalls)) {
      expect(results[name], `${name} via ${kind}`).toEqual(expected);
    }
  });
});
