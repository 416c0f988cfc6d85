import { readdir } from 'node:fs/promises';
import { type PublishOutcome, summarize } from '@myorg/services/publish';
import type { ExecutorContext } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { addToRunTotals } from '../src/executors/publish/runTotals.ts';
import { useTempDirs } from './support/tempDir.ts';

type TotalsContext = Pick<ExecutorContext, 'projectName' | 'targetName' | 'taskGraph'>;

function graphOf(...ids: string[]): NonNullable<ExecutorContext['taskGraph']> {
  const tasks = Object.fromEntries(
    ids.map((id) => {
      const [project = '', target = ''] = id.split(':');
      return [id, { id, target: { project, target }, overrides: {}, outputs: [], parallelism: true }];
    }),
  );
  return { roots: [], tasks, dependencies: {}, continuousDependencies: {} } as unknown as NonNullable<
    ExecutorContext['taskGraph']
  >;
}

const outcome = (status: PublishOutcome['status']): PublishOutcome => ({
  name: 'x',
  version: '1.0.0',
  status,
});

describe('addToRunTotals', () => {
  const tempDir = useTempDirs();
  const env = { NX_INVOCATION_ROOT_PID: '4242' };

  it('prints the totals once, from the task that completes the run', async () => {
    // Prepare: three publish tasks and a build task in one Nx run.
    const dir = await tempDir();
    const taskGraph = graphOf('a:publish', 'b:publish', 'c:publish', 'a:build');
    const context = (projectName: string): TotalsContext => ({
      projectName,
      targetName: 'publish',
      taskGraph,
    });

    // Act
    const first = await addToRunTotals(summarize([outcome('published')]), context('a'), { env, dir });
    const rest = await Promise.all([
      addToRunTotals(summarize([outcome('skipped')]), context('b'), { env, dir }),
      addToRunTotals(summarize([outcome('failed')]), context('c'), { env, dir }),
    ]);

    // Assess
    expect(first).toBeUndefined();
    expect(rest.filter((line) => line !== undefined)).toEqual([
      'publish totals for 3 projects: 1 published, 1 skipped, 1 failed',
    ]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps separate runs apart and counts dry-run candidates', async () => {
    const dir = await tempDir();
    const taskGraph = graphOf('a:publish', 'b:publish');

    const otherRun = await addToRunTotals(
      summarize([outcome('published')]),
      { projectName: 'a', targetName: 'publish', taskGraph },
      { env: { NX_INVOCATION_ROOT_PID: '1' }, dir },
    );
    const a = await addToRunTotals(
      summarize([outcome('would-publish')]),
      { projectName: 'a', targetName: 'publish', taskGraph },
      { env, dir },
    );
    const b = await addToRunTotals(
      summarize([outcome('would-publish')]),
      { projectName: 'b', targetName: 'publish', taskGraph },
      { env, dir },
    );

    expect([otherRun, a]).toEqual([undefined, undefined]);
    expect(b).toBe(
      'publish totals for 2 projects: 0 published, 0 skipped, 0 failed, 2 would publish (dry run)',
    );
    expect(await readdir(dir)).toHaveLength(1); // the unfinished other run
  });

  it('stays quiet outside an Nx run and for a single publish task', async () => {
    const dir = await tempDir();
    const summary = summarize([outcome('published')]);

    const results = await Promise.all([
      addToRunTotals(
        summary,
        { projectName: 'a', targetName: 'publish', taskGraph: graphOf('a:publish') },
        { env, dir },
      ),
      addToRunTotals(summary, { projectName: 'a', targetName: 'publish' }, { env, dir }),
      addToRunTotals(
        summary,
        { projectName: 'a', targetName: 'publish', taskGraph: graphOf('a:publish', 'b:publish') },
        { env: {}, dir },
      ),
      addToRunTotals(
        summary,
        { projectName: 'z', targetName: 'publish', taskGraph: graphOf('a:publish', 'b:publish') },
        { env, dir },
      ),
    ]);

    expect(results).toEqual([undefined, undefined, undefined, undefined]);
    expect(await readdir(dir)).toEqual([]);
  });
});
