import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import publishBatch from '../src/executors/publish/batch.ts';
import type { PublishExecutorOptions } from '../src/executors/publish/schema.ts';
import { type NpmRegistryStandIn, startNpmRegistryStandIn } from './support/npmRegistryStandIn.ts';
import { taskGraph } from './support/taskGraph.ts';
import { useTempDirs, writePackage } from './support/tempDir.ts';

const ENV_KEYS = ['PUBLISH_REGISTRY_URL', 'PUBLISH_REGISTRY_TOKEN', 'NX_INVOCATION_ROOT_PID'] as const;

const publishGraph = (projects: Record<string, string[]>) => taskGraph('publish', projects);

/** The batch's results by task id, as Nx collects them. */
async function runBatch(
  graph: TaskGraph,
  inputs: Record<string, PublishExecutorOptions>,
  context: ExecutorContext,
): Promise<Record<string, { success: boolean; terminalOutput: string }>> {
  const results: Record<string, { success: boolean; terminalOutput: string }> = {};
  for await (const { task, result } of publishBatch(graph, inputs, {}, context)) results[task] = result;
  return results;
}

describe('publish batch executor', () => {
  const tempDir = useTempDirs();
  let registry: NpmRegistryStandIn;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  beforeEach(async () => {
    registry = await startNpmRegistryStandIn();
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    process.env.PUBLISH_REGISTRY_URL = registry.url;
    process.env.PUBLISH_REGISTRY_TOKEN = registry.token;
    // Each test is a run of its own for the run totals.
    process.env.NX_INVOCATION_ROOT_PID = `test-${Date.now()}-${Math.random()}`;
  });

  afterEach(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await registry.close();
  });

  /** `@myorg/b` depends on `@myorg/a`; the task graph lists b first. */
  async function workspace(graph: TaskGraph): Promise<ExecutorContext> {
    const root = await tempDir();
    await writePackage(join(root, 'libs/a'), '@myorg/a', '1.0.0');
    await writePackage(join(root, 'libs/b'), '@myorg/b', '2.0.0');
    await writeFile(
      join(root, 'libs/b/package.json'),
      JSON.stringify({
        name: '@myorg/b',
        version: '2.0.0',
        main: 'index.js',
        dependencies: { '@myorg/a': '^1.0.0' },
      }),
    );
    return {
      root,
      cwd: root,
      isVerbose: false,
      projectsConfigurations: {
        version: 2,
        projects: { '@myorg/a': { root: 'libs/a' }, '@myorg/b': { root: 'libs/b' } },
      },
      taskGraph: graph,
    } as unknown as ExecutorContext;
  }

  it("publishes the batch in dependency order and gives each task the single executor's lines", async () => {
    // Prepare
    const graph = publishGraph({ '@myorg/b': ['@myorg/a'], '@myorg/a': [] });
    const context = await workspace(graph);

    // Act
    const results = await runBatch(graph, { '@myorg/a:publish': {}, '@myorg/b:publish': {} }, context);

    // Assess
    const puts = registry.requests
      .filter((request) => request.method === 'PUT')
      .map((request) => request.url);
    expect(puts).toEqual(['/@myorg%2fa', '/@myorg%2fb']);
    expect(results).toEqual({
      '@myorg/a:publish': expect.objectContaining({
        success: true,
        terminalOutput: [
          `registry ${registry.url}`,
          'published @myorg/a@1.0.0',
          'publish: 1 published, 0 skipped, 0 failed',
        ].join('\n'),
      }),
      '@myorg/b:publish': expect.objectContaining({
        success: true,
        terminalOutput: [
          `registry ${registry.url}`,
          'published @myorg/b@2.0.0',
          'publish: 1 published, 0 skipped, 0 failed',
          'publish totals for 2 projects: 2 published, 0 skipped, 0 failed',
        ].join('\n'),
      }),
    });
  });

  it('fails the dependents of a package that failed, and only the task of a project without a package', async () => {
    // Prepare: the registry refuses the first upload; a third project is private.
    const graph = publishGraph({ '@myorg/a': [], '@myorg/b': ['@myorg/a'], '@myorg/c': [] });
    const context = await workspace(graph);
    await writePackage(join(context.root, 'libs/c'), '@myorg/c', '1.0.0');
    await writeFile(
      join(context.root, 'libs/c/package.json'),
      JSON.stringify({ name: '@myorg/c', private: true }),
    );
    context.projectsConfigurations.projects['@myorg/c'] = { root: 'libs/c' };
    registry.failPublish.push({ status: 400, body: { error: 'bad package' } });

    // Act
    const results = await runBatch(
      graph,
      { '@myorg/a:publish': {}, '@myorg/b:publish': {}, '@myorg/c:publish': {} },
      context,
    );

    // Assess
    expect(
      Object.entries(results)
        .map(([id, result]) => [id, result.success])
        .sort(),
    ).toEqual([
      ['@myorg/a:publish', false],
      ['@myorg/b:publish', false],
      ['@myorg/c:publish', false],
    ]);
    expect(results['@myorg/b:publish']?.terminalOutput).toContain(
      'failed @myorg/b@2.0.0: its dependency @myorg/a failed',
    );
    expect(results['@myorg/c:publish']?.terminalOutput).toBe(
      'publish: libs/c holds no publishable package (a name, a version, not private)',
    );
    expect(registry.versions.size).toBe(0);
  });

  it('publishes tasks with different options separately, each with its own target', async () => {
    // Prepare: b goes as a dry run.
    const graph = publishGraph({ '@myorg/a': [], '@myorg/b': ['@myorg/a'] });
    const context = await workspace(graph);

    // Act
    const results = await runBatch(
      graph,
      { '@myorg/a:publish': {}, '@myorg/b:publish': { dryRun: true } },
      context,
    );

    // Assess
    expect(results['@myorg/a:publish']?.terminalOutput).toContain('published @myorg/a@1.0.0');
    expect(results['@myorg/b:publish']?.terminalOutput).toContain('would publish @myorg/b@2.0.0');
    expect([...registry.versions.keys()]).toEqual(['@myorg/a']);
  });

  it('fails every task, saying why, when no target is configured', async () => {
    const graph = publishGraph({ '@myorg/a': [] });
    const context = await workspace(graph);
    delete process.env.PUBLISH_REGISTRY_URL;

    const results = await runBatch(graph, { '@myorg/a:publish': { config: 'missing.json' } }, context);

    expect(results['@myorg/a:publish']?.success).toBe(false);
    expect(results['@myorg/a:publish']?.terminalOutput).toMatch(
      /^failed @myorg\/a@1\.0\.0: no publish target: pass --registry.*\npublish: 0 published, 0 skipped, 1 failed$/,
    );
  });
});
