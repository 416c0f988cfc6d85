import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRegistry, startOurRegistry, startVerdaccio } from '../support/registryProcesses.ts';
import { copyWorkspace, type WorkspaceCopy } from '../support/workspaceCopy.ts';

const workspace = resolve(import.meta.dirname, '../../../..');
const CHANGED = '@myorg/utilities';

interface Library {
  name: string;
  version: string;
  dir: string;
  /** `@myorg/*` packages it depends on at run time (what changesets bumps dependents for). */
  uses: string[];
}

async function publicLibraries(root: string): Promise<Map<string, Library>> {
  const libraries = new Map<string, Library>();
  for (const entry of await readdir(join(root, 'libs'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, 'libs', entry.name);
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    const runtime = {
      ...manifest.dependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    };
    const uses = Object.keys(runtime).filter((name) => name.startsWith('@myorg/'));
    libraries.set(manifest.name, { name: manifest.name, version: manifest.version, dir, uses });
  }
  return libraries;
}

/** `changed` plus every public library that depends on it, directly or not. */
function withDependents(libraries: Map<string, Library>, changed: string): Set<string> {
  const result = new Set([changed]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const library of libraries.values()) {
      if (!result.has(library.name) && library.uses.some((name) => result.has(name))) {
        result.add(library.name);
        grew = true;
      }
    }
  }
  return result;
}

async function registryState(
  registry: RunningRegistry,
  names: Iterable<string>,
): Promise<Record<string, string[]>> {
  const state: Record<string, string[]> = {};
  for (const name of names) state[name] = await registry.versions(name);
  return state;
}

// Each step runs Nx in the copy once per registry, building and publishing 14 libraries: minutes,
// not seconds, and more on a loaded machine.
describe('release flow: publish all, changeset, version, nx affected -t publish', {
  timeout: 900_000,
}, () => {
  let tmp: string;
  let copy: WorkspaceCopy;
  let registries: RunningRegistry[] = [];
  let before: Map<string, Library>;
  let expectedBumped: Set<string>;

  async function nx(args: string[], registry: RunningRegistry): Promise<string> {
    try {
      const { stdout, stderr } = await copy.run(join(copy.root, 'node_modules/.bin/nx'), args, {
        PUBLISH_REGISTRY_URL: registry.url,
        PUBLISH_REGISTRY_TOKEN: registry.token,
      });
      return `${stdout}\n${stderr}`;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`nx ${args.join(' ')} against ${registry.label} failed:\n${stdout}\n${stderr}`);
    }
  }

  beforeAll(async () => {
    // Prepare: the workspace in a fresh git repo, and two independent registries on loopback,
    // each empty.
    tmp = await mkdtemp(join(tmpdir(), 'myorg-release-flow-'));
    await Promise.all(['copy', 'verdaccio', 'ours'].map((dir) => mkdir(join(tmp, dir))));
    const [copied, ours, verdaccio] = await Promise.all([
      copyWorkspace(workspace, join(tmp, 'copy')),
      startOurRegistry(workspace, join(tmp, 'ours')),
      startVerdaccio(join(tmp, 'verdaccio')),
    ]);
    copy = copied;
    registries = [ours, verdaccio];
    before = await publicLibraries(copy.root);
    expectedBumped = withDependents(before, CHANGED);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(registries.map((registry) => registry.stop()));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('publishes every public library to each registry', async () => {
    for (const registry of registries) {
      // Act
      const output = await nx(
        ['run-many', '-t', 'publish', '--parallel=4', '--outputStyle=static'],
        registry,
      );

      // Assess
      expect(output).toContain(
        `publish totals for ${before.size} projects: ${before.size} published, 0 skipped, 0 failed`,
      );
      const expected = Object.fromEntries([...before.values()].map((lib) => [lib.name, [lib.version]]));
      expect(await registryState(registry, before.keys())).toEqual(expected);
    }
  });

  it('publishes exactly the changed library and its dependents after changeset version', async () => {
    // Prepare: change one library, describe it in a changeset, version, commit.
    const changed = before.get(CHANGED);
    if (!changed) throw new Error(`${CHANGED} is not a public library of the workspace`);
    await appendFile(join(changed.dir, 'src/index.ts'), '// changed by the release-flow test\n');
    await writeFile(
      join(copy.root, '.changeset/release-flow-test.md'),
      `---\n"${CHANGED}": minor\n---\n\nA change to test the release flow.\n`,
    );
    await copy.run(join(copy.root, 'node_modules/.bin/changeset'), ['version']);
    await copy.git('add', '-A');
    await copy.git('commit', '-q', '-m', 'Version Packages');
    const after = await publicLibraries(copy.root);
    const bumped = [...after.values()].filter((lib) => lib.version !== before.get(lib.name)?.version);
    expect(new Set(bumped.map((lib) => lib.name))).toEqual(expectedBumped);
    expect(expectedBumped.size).toBeGreaterThan(1);

    for (const registry of registries) {
      // Act
      const output = await nx(
        ['affected', '-t', 'publish', '--base=HEAD~1', '--head=HEAD', '--parallel=4', '--outputStyle=static'],
        registry,
      );

      // Assess: new versions for exactly those libraries; every other one untouched.
      expect(output).toMatch(
        new RegExp(
          `publish totals for \\d+ projects: ${expectedBumped.size} published, \\d+ skipped, 0 failed`,
        ),
      );
      const expected = Object.fromEntries(
        [...after.values()].map((lib) => {
          const old = before.get(lib.name)?.version ?? '';
          return [lib.name, expectedBumped.has(lib.name) ? [old, lib.version].sort() : [old]];
        }),
      );
      expect(await registryState(registry, after.keys())).toEqual(expected);
    }
  });

  it('publishes nothing when the same affected publish runs again', async () => {
    for (const registry of registries) {
      // Prepare
      const state = await registryState(registry, before.keys());

      // Act
      const output = await nx(
        ['affected', '-t', 'publish', '--base=HEAD~1', '--head=HEAD', '--parallel=4', '--outputStyle=static'],
        registry,
      );

      // Assess
      expect(output).toMatch(/publish totals for \d+ projects: 0 published, \d+ skipped, 0 failed/);
      expect(output).not.toMatch(/^published /m);
      expect(await registryState(registry, before.keys())).toEqual(state);
    }
  });
});
