import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import typecheckBatch from '../src/executors/typecheck/batch.ts';
import typecheckExecutor from '../src/executors/typecheck/executor.ts';
import { taskGraph } from './support/taskGraph.ts';
import { useTempDirs } from './support/tempDir.ts';

const COMPILER_OPTIONS = {
  composite: true,
  rootDir: 'src',
  outDir: 'out-tsc/lib',
  lib: ['es2024'],
  types: [],
  strict: true,
};

/** A project as the workspace lays them out: a solution tsconfig.json over its tsconfig.lib.json. */
async function writeProject(root: string, source: string, references: string[] = []) {
  await mkdir(join(root, 'src'), { recursive: true });
  await writeFile(join(root, 'src', 'index.ts'), source);
  await writeFile(
    join(root, 'tsconfig.lib.json'),
    JSON.stringify({
      compilerOptions: COMPILER_OPTIONS,
      include: ['src/**/*.ts'],
      references: references.map((path) => ({ path })),
    }),
  );
  await writeFile(
    join(root, 'tsconfig.json'),
    JSON.stringify({ files: [], references: [{ path: './tsconfig.lib.json' }] }),
  );
}

const contextFor = (workspaceRoot: string, projects: string[], projectName?: string) =>
  ({
    root: workspaceRoot,
    cwd: workspaceRoot,
    isVerbose: false,
    projectName,
    projectsConfigurations: {
      version: 2,
      projects: Object.fromEntries(projects.map((name) => [name, { root: `libs/${name}` }])),
    },
  }) as unknown as ExecutorContext;

describe('typecheck executor', () => {
  const tempDir = useTempDirs();

  it('checks a batch in one build, each error failing the task of the project it is in', async () => {
    const workspace = await tempDir();
    await writeProject(join(workspace, 'libs/base'), 'export const one: number = 1;\n');
    await writeProject(
      join(workspace, 'libs/user'),
      "import { one } from '../../base/src/index.ts';\nexport const two: string = one + 1;\n",
      ['../base/tsconfig.lib.json'],
    );
    await writeFile(
      join(workspace, 'libs/user/tsconfig.lib.json'),
      JSON.stringify({
        compilerOptions: { ...COMPILER_OPTIONS, allowImportingTsExtensions: true },
        include: ['src/**/*.ts'],
        references: [{ path: '../base/tsconfig.lib.json' }],
      }),
    );
    await writeProject(join(workspace, 'libs/other'), 'export const three = 3;\n');
    const projects = ['base', 'user', 'other'];

    const order: string[] = [];
    const results: Record<string, { success: boolean; terminalOutput: string }> = {};
    const graph = taskGraph('typecheck', { base: [], user: ['base'], other: [] });
    for await (const { task, result } of typecheckBatch(graph, {}, {}, contextFor(workspace, projects))) {
      order.push(task);
      results[task] = result;
    }

    expect(order.indexOf('base:typecheck')).toBeLessThan(order.indexOf('user:typecheck'));
    expect(results['base:typecheck']).toMatchObject({ success: true, terminalOutput: '' });
    expect(results['other:typecheck']).toMatchObject({ success: true, terminalOutput: '' });
    expect(results['user:typecheck']?.success).toBe(false);
    expect(results['user:typecheck']?.terminalOutput).toMatch(/libs[\\/]user[\\/]src[\\/]index\.ts.*TS2322/);
    // Declarations are what a library's build bundles.
    expect(existsSync(join(workspace, 'libs/base/out-tsc/lib/index.d.ts'))).toBe(true);
    expect(existsSync(join(workspace, 'libs/base/out-tsc/lib/index.js'))).toBe(false);

    // Alone, the up-to-date project passes and the broken one still fails.
    const context = (name: string) => contextFor(workspace, projects, name);
    await expect(typecheckExecutor({}, context('base'))).resolves.toEqual({ success: true });
    await expect(typecheckExecutor({}, context('user'))).resolves.toEqual({ success: false });
  });
});
