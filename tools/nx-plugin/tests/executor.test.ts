import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import publishExecutor from '../src/executors/publish/executor.ts';
import { type NpmRegistryStandIn, startNpmRegistryStandIn } from './support/npmRegistryStandIn.ts';
import { useTempDirs, writePackage } from './support/tempDir.ts';

const ENV_KEYS = ['PUBLISH_REGISTRY_URL', 'PUBLISH_REGISTRY_TOKEN', 'NX_INVOCATION_ROOT_PID'] as const;

describe('publish executor', () => {
  const tempDir = useTempDirs();
  let registry: NpmRegistryStandIn;
  let lines: string[];
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  beforeEach(async () => {
    registry = await startNpmRegistryStandIn();
    for (const key of ENV_KEYS) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
    lines = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(line);
    });
    vi.spyOn(console, 'error').mockImplementation((line: string) => {
      lines.push(line);
    });
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await registry.close();
  });

  async function workspace(): Promise<ExecutorContext> {
    const root = await tempDir();
    await writePackage(join(root, 'libs/a'), '@myorg/a', '1.0.0');
    return {
      root,
      cwd: root,
      isVerbose: false,
      projectName: '@myorg/a',
      targetName: 'publish',
      projectsConfigurations: { version: 2, projects: { '@myorg/a': { root: 'libs/a' } } },
    } as unknown as ExecutorContext;
  }

  it('publishes the project to PUBLISH_REGISTRY_URL, then skips it on the next run', async () => {
    // Prepare
    const context = await workspace();
    process.env.PUBLISH_REGISTRY_URL = registry.url;
    process.env.PUBLISH_REGISTRY_TOKEN = registry.token;

    // Act
    const first = await publishExecutor({}, context);
    const second = await publishExecutor({}, context);

    // Assess
    expect([first.success, second.success]).toEqual([true, true]);
    expect(lines).toEqual([
      `registry ${registry.url}`,
      'published @myorg/a@1.0.0',
      'publish: 1 published, 0 skipped, 0 failed',
      `registry ${registry.url}`,
      'skipped @myorg/a@1.0.0 (already in the registry)',
      'publish: 0 published, 1 skipped, 0 failed',
    ]);
    expect([...(registry.versions.get('@myorg/a') ?? [])]).toEqual(['1.0.0']);
  });

  it('takes the registry option over the environment and honours dryRun and tag', async () => {
    const context = await workspace();
    process.env.PUBLISH_REGISTRY_URL = 'http://127.0.0.1:9/unused/';
    process.env.PUBLISH_REGISTRY_TOKEN = registry.token;

    const result = await publishExecutor({ registry: registry.url, dryRun: true, tag: 'next' }, context);

    expect(result.success).toBe(true);
    expect(lines).toContain('would publish @myorg/a@1.0.0');
    expect(registry.versions.size).toBe(0);
  });

  it('fails the task, saying why, when no target is configured', async () => {
    const context = await workspace();

    const result = await publishExecutor({ config: 'missing.json' }, context);

    expect(result.success).toBe(false);
    expect(lines[0]).toMatch(/^failed @myorg\/a@1\.0\.0: no publish target: pass --registry/);
    expect(lines[1]).toBe('publish: 0 published, 0 skipped, 1 failed');
  });

  it('fails the task when the registry refuses the package', async () => {
    const context = await workspace();
    process.env.PUBLISH_REGISTRY_URL = registry.url;
    process.env.PUBLISH_REGISTRY_TOKEN = 'wrong';

    const result = await publishExecutor({}, context);

    expect(result.success).toBe(false);
    expect(lines.at(-1)).toBe('publish: 0 published, 0 skipped, 1 failed');
  });

  it("prints the run totals when it completes the run's set of publish tasks", async () => {
    // Prepare: the other project's task already recorded its outcome in this invocation.
    const context = await workspace();
    const bDir = await writePackage(join(context.root, 'libs/b'), '@myorg/b', '2.0.0');
    await writeFile(join(bDir, '.keep'), '');
    const taskGraph = {
      roots: [],
      dependencies: {},
      continuousDependencies: {},
      tasks: {
        '@myorg/a:publish': { id: '@myorg/a:publish', target: { project: '@myorg/a', target: 'publish' } },
        '@myorg/b:publish': { id: '@myorg/b:publish', target: { project: '@myorg/b', target: 'publish' } },
      },
    };
    const both = {
      ...context,
      taskGraph,
      projectsConfigurations: {
        version: 2,
        projects: { '@myorg/a': { root: 'libs/a' }, '@myorg/b': { root: 'libs/b' } },
      },
    } as unknown as ExecutorContext;
    process.env.PUBLISH_REGISTRY_URL = registry.url;
    process.env.PUBLISH_REGISTRY_TOKEN = registry.token;
    process.env.NX_INVOCATION_ROOT_PID = `test-${Date.now()}-${Math.random()}`;

    // Act
    await publishExecutor({}, { ...both, projectName: '@myorg/b' } as ExecutorContext);
    await publishExecutor({}, both);

    // Assess
    expect(lines.at(-1)).toBe('publish totals for 2 projects: 2 published, 0 skipped, 0 failed');
  });

  it('refuses to run without a project', async () => {
    const context = await workspace();

    const result = await publishExecutor({}, {
      ...context,
      projectName: undefined,
    } as unknown as ExecutorContext);

    expect(result.success).toBe(false);
    expect(lines).toEqual(['publish: the executor must run for a project']);
  });

  it('refuses a project that holds no publishable package', async () => {
    const context = await workspace();
    await writeFile(
      join(context.root, 'libs/a/package.json'),
      JSON.stringify({ name: '@myorg/a', private: true }),
    );

    const result = await publishExecutor({}, context);

    expect(result.success).toBe(false);
    expect(lines).toEqual(['publish: libs/a holds no publishable package (a name, a version, not private)']);
  });
});
