import { access, appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRegistry, startOurRegistry, startVerdaccio } from '../support/registryProcesses.ts';
import { copyWorkspace, type WorkspaceCopy } from '../support/workspaceCopy.ts';

const workspace = resolve(import.meta.dirname, '../../../..');
const CHANGED = '@myorg/utilities';
/**
 * What publishing needs built: every public library (each publish task builds itself, its
 * dependencies and the plugin's own), as in a release job on a fresh clone. Apps are not
 * published, and building them (the registry bundle, the admin CLI, the UI) cost the flow minutes.
 */
const BUILD_PUBLISHED = ['run-many', '-t', 'build', '--projects=tag:npm:public', '--outputStyle=static'];
/**
 * The first release, from the libraries the workspace built before this test (the test target
 * depends on their `build`): building them in the copy too would cost a minute of CPU for outputs
 * that already exist. The publish tasks keep their `^publish` order; only the builds are left out.
 */
const PUBLISH_PREBUILT = [
  'run-many',
  '-t',
  'publish',
  '--exclude-task-dependencies',
  '--parallel=4',
  '--outputStyle=static',
];
const AFFECTED_PUBLISH = [
  'affected',
  '-t',
  'publish',
  '--base=HEAD~1',
  '--head=HEAD',
  '--parallel=4',
  '--outputStyle=static',
];

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

/** Each library's `dist` from the workspace into the copy: what `PUBLISH_PREBUILT` publishes. */
async function copyBuiltOutputs(libraries: Iterable<Library>, root: string): Promise<void> {
  for (const library of libraries) {
    const dist = join(workspace, relative(root, library.dir), 'dist');
    await access(dist).catch(() => {
      throw new Error(
        `${library.name} is not built: run this test through Nx (its test target builds every public library first), or run \`npx nx run-many -t build --projects=tag:npm:public\``,
      );
    });
    await cp(dist, join(library.dir, 'dist'), { recursive: true });
  }
}

async function registryState(
  registry: RunningRegistry,
  names: Iterable<string>,
): Promise<Record<string, string[]>> {
  const state: Record<string, string[]> = {};
  for (const name of names) state[name] = await registry.versions(name);
  return state;
}

// The copy builds once, after the version commit, then each step runs Nx once per registry, side
// by side: minutes, not seconds, and more on a loaded machine.
describe('release flow: publish all, changeset, version, nx affected -t publish', {
  timeout: 900_000,
}, () => {
  let tmp: string;
  let copy: WorkspaceCopy;
  let registries: RunningRegistry[] = [];
  let before: Map<string, Library>;
  let expectedBumped: Set<string>;

  /** Nx in the copy; with a registry, publishing goes there. */
  async function nx(args: string[], registry?: RunningRegistry): Promise<string> {
    const target = registry && { PUBLISH_REGISTRY_URL: registry.url, PUBLISH_REGISTRY_TOKEN: registry.token };
    try {
      const { stdout, stderr } = await copy.run(join(copy.root, 'node_modules/.bin/nx'), args, target);
      return `${stdout}\n${stderr}`;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(
        `nx ${args.join(' ')} against ${registry?.label ?? 'no registry'} failed:\n${stdout}\n${stderr}`,
      );
    }
  }

  /**
   * The same publish command against each registry, side by side. The runs share the copy's build
   * outputs, so whatever they publish must be built (and cached) beforehand: a cached build's
   * outputs are left as they are, where two runs building at once would rewrite each other's dist.
   */
  async function publishToEach(args: string[]): Promise<{ registry: RunningRegistry; output: string }[]> {
    return await Promise.all(
      registries.map(async (registry) => ({ registry, output: await nx(args, registry) })),
    );
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
    await copyBuiltOutputs(before.values(), copy.root);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(registries.map((registry) => registry.stop()));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("gives every public library one publish target: ours, not Nx release's inferred one", async () => {
    // Act
    const withTarget = async (target: string) => {
      const show = ['show', 'projects', '--with-target', target, '--json'];
      const { stdout } = await copy.run(join(copy.root, 'node_modules/.bin/nx'), show);
      return JSON.parse(stdout) as string[];
    };

    // Assess
    expect((await withTarget('publish')).sort()).toEqual([...before.keys()].sort());
    expect(await withTarget('nx-release-publish')).toEqual([]);
  });

  it('publishes every public library to each registry', async () => {
    // Act
    const runs = await publishToEach(PUBLISH_PREBUILT);

    // Assess
    const expected = Object.fromEntries([...before.values()].map((lib) => [lib.name, [lib.version]]));
    for (const { registry, output } of runs) {
      expect(output).toContain(
        `publish totals for ${before.size} projects: ${before.size} published, 0 skipped, 0 failed`,
      );
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

    await nx(BUILD_PUBLISHED);

    // Act
    const runs = await publishToEach(AFFECTED_PUBLISH);

    // Assess: new versions for exactly those libraries; every other one untouched.
    for (const { registry, output } of runs) {
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
    // Prepare: what each registry holds (the builds are there from the previous test).
    const states = await Promise.all(registries.map((registry) => registryState(registry, before.keys())));

    // Act
    const runs = await publishToEach(AFFECTED_PUBLISH);

    // Assess
    for (const [index, { registry, output }] of runs.entries()) {
      expect(output).toMatch(/publish totals for \d+ projects: 0 published, \d+ skipped, 0 failed/);
      expect(output).not.toMatch(/^published /m);
      expect(await registryState(registry, before.keys())).toEqual(states[index]);
    }
  });
});
