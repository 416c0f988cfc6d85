import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { typecheckProjects } from './typecheckProjects.ts';

type TaskResult = { success: boolean; terminalOutput: string; startTime: number; endTime: number };

/**
 * The typecheck executor for many projects in one process (Nx prefers it, see executors.json):
 * one solution builder for all of them. Each task's result is yielded as soon as its projects are
 * built, so a library's build need not wait for the whole batch.
 */
async function* typecheckBatch(
  taskGraph: TaskGraph,
  _inputs: Record<string, Record<string, never>>,
  _overrides: Record<string, never>,
  context: ExecutorContext,
): AsyncIterableIterator<{ task: string; result: TaskResult }> {
  const startTime = Date.now();
  const taskOf = new Map<string, string>();
  for (const task of Object.values(taskGraph.tasks)) {
    const root = context.projectsConfigurations.projects[task.target.project]?.root;
    if (root !== undefined) taskOf.set(root, task.id);
    else {
      const terminalOutput = `no project ${task.target.project}\n`;
      yield { task: task.id, result: { success: false, terminalOutput, startTime, endTime: Date.now() } };
    }
  }
  for (const { root, errors } of typecheckProjects(context.root, [...taskOf.keys()])) {
    const task = taskOf.get(root);
    if (task === undefined) continue;
    const terminalOutput = errors.join('');
    process.stderr.write(terminalOutput);
    yield { task, result: { success: errors.length === 0, terminalOutput, startTime, endTime: Date.now() } };
  }
}

export default typecheckBatch;
