import { createHash } from 'node:crypto';
import { appendFile, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countsOf, formatCounts, type PublishCounts, type PublishSummary } from '@myorg/services/publish';
import type { ExecutorContext } from '@nx/devkit';

interface TaskCounts extends PublishCounts {
  task: string;
}

function parseRecords(text: string): Map<string, TaskCounts> {
  const records = new Map<string, TaskCounts>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as TaskCounts;
      records.set(record.task, record);
    } catch {
      // A torn line from an interrupted run; the task that wrote it is counted as missing.
    }
  }
  return records;
}

/**
 * Nx runs a run's publish tasks in several processes (one per project, or batches), so no single
 * process sees the whole run. Each task appends its counts to a file named after the Nx invocation (the root pid Nx passes
 * to every task as NX_INVOCATION_ROOT_PID, and the run's set of publish tasks); the task that
 * completes the set claims the file with an atomic rename and returns the totals line, which it
 * prints last. Returns undefined for every other task, for a run with a single publish task (its own
 * summary is the total), and outside an Nx run.
 */
export async function addToRunTotals(
  summary: PublishSummary,
  context: Pick<ExecutorContext, 'projectName' | 'targetName' | 'taskGraph'>,
  options: { env?: NodeJS.ProcessEnv; dir?: string } = {},
): Promise<string | undefined> {
  const invocation = (options.env ?? process.env).NX_INVOCATION_ROOT_PID;
  const { taskGraph, projectName, targetName } = context;
  if (!invocation || !taskGraph || !targetName) return undefined;
  const tasks = Object.values(taskGraph.tasks).filter((task) => task.target.target === targetName);
  const own = tasks.find((task) => task.target.project === projectName);
  if (tasks.length < 2 || !own) return undefined;

  const ids = tasks.map((task) => task.id).sort();
  const key = createHash('sha256')
    .update(`${invocation}\n${ids.join('\n')}`)
    .digest('hex')
    .slice(0, 16);
  const file = join(options.dir ?? tmpdir(), `myorg-publish-run-${key}.jsonl`);
  await appendFile(file, `${JSON.stringify({ task: own.id, ...countsOf(summary) })}\n`);
  if (parseRecords(await readFile(file, 'utf8')).size < ids.length) return undefined;

  const claimed = `${file}.${process.pid}`;
  try {
    await rename(file, claimed);
  } catch {
    return undefined; // another task completed the set at the same moment and prints the totals
  }
  try {
    const totals: PublishCounts = { published: 0, skipped: 0, failed: 0, wouldPublish: 0 };
    for (const record of parseRecords(await readFile(claimed, 'utf8')).values()) {
      totals.published += record.published;
      totals.skipped += record.skipped;
      totals.failed += record.failed;
      totals.wouldPublish += record.wouldPublish;
    }
    return formatCounts(totals, `publish totals for ${ids.length} projects`);
  } finally {
    await rm(claimed, { force: true });
  }
}
