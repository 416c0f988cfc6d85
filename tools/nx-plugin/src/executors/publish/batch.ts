import { formatOutcome, formatSummary, type PackageToPublish, summarize } from '@myorg/services/publish';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { projectPackage, publishProjects } from './publishProjects.ts';
import { addToRunTotals } from './runTotals.ts';
import type { PublishExecutorOptions } from './schema.ts';

type TaskResult = { success: boolean; terminalOutput: string; startTime: number; endTime: number };

/** The batch's task ids, each after the tasks of the batch it depends on. */
function inTaskOrder(graph: TaskGraph): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id) || !graph.tasks[id]) return;
    seen.add(id);
    for (const dependency of graph.dependencies[id] ?? []) visit(dependency);
    order.push(id);
  };
  for (const id of Object.keys(graph.tasks)) visit(id);
  return order;
}

/** Consecutive runs of tasks with the same options; in task order, so dependencies go first. */
function byOptions(ids: string[], inputs: Record<string, PublishExecutorOptions>): string[][] {
  const groups: string[][] = [];
  let last: string | undefined;
  for (const id of ids) {
    const key = JSON.stringify(inputs[id] ?? {});
    if (key === last) groups.at(-1)?.push(id);
    else groups.push([id]);
    last = key;
  }
  return groups;
}

/**
 * The publish executor for many projects in one process (Nx prefers it, see executors.json): each
 * task costs a Node start and a target lookup otherwise. The packages are published together by
 * the shared core, in dependency order, and each task's output is what `executor.ts` prints for
 * it, the run totals included. Results are yielded task by task: Nx prints a batch task's output
 * only when it arrives that way.
 */
async function* publishBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, PublishExecutorOptions>,
  _overrides: PublishExecutorOptions,
  context: ExecutorContext,
): AsyncIterableIterator<{ task: string; result: TaskResult }> {
  // Nx may split a run's publish tasks over several batches and single tasks, so the totals go
  // through the same per-run file; Nx forks the batch process from the run's root process.
  const env = { NX_INVOCATION_ROOT_PID: process.env.NX_INVOCATION_ROOT_PID ?? String(process.ppid) };
  for (const group of byOptions(inTaskOrder(taskGraph), inputs)) {
    const startTime = Date.now();
    const packages: PackageToPublish[] = [];
    const taskOf = new Map<string, string>();
    for (const id of group) {
      const pkg = projectPackage(context, taskGraph.tasks[id]?.target.project);
      if (typeof pkg === 'string') {
        yield { task: id, result: { success: false, terminalOutput: pkg, startTime, endTime: Date.now() } };
        continue;
      }
      packages.push(pkg);
      taskOf.set(pkg.name, id);
    }
    const lines: string[] = [];
    const summary = await publishProjects(packages, inputs[group[0] ?? ''] ?? {}, context.root, (line) =>
      lines.push(line),
    );
    // The lines about the target (`registry …`) head every task's output, as each task prints them alone.
    const outcomeLines = new Set(summary.outcomes.map(formatOutcome));
    const header = lines.filter((line) => !outcomeLines.has(line));
    for (const outcome of summary.outcomes) {
      const id = taskOf.get(outcome.name);
      const task = id === undefined ? undefined : taskGraph.tasks[id];
      if (id === undefined || !task) continue;
      const own = summarize([outcome]);
      const totals = await addToRunTotals(
        own,
        { projectName: task.target.project, targetName: task.target.target, taskGraph: context.taskGraph },
        { env },
      );
      const output = [...header, formatOutcome(outcome), formatSummary(own), ...(totals ? [totals] : [])];
      yield {
        task: id,
        result: {
          success: own.failed === 0,
          terminalOutput: output.join('\n'),
          startTime,
          endTime: Date.now(),
        },
      };
    }
  }
}

export default publishBatch;
