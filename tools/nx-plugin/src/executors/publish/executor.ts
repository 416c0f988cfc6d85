import { join } from 'node:path';
import {
  failAll,
  formatOutcome,
  formatSummary,
  type PublishSummary,
  publishPackages,
  readPublishable,
} from '@myorg/services/publish';
import type { PromiseExecutor } from '@nx/devkit';
import { loadPublishTarget } from '../../loadPublishTarget.ts';
import { addToRunTotals } from './runTotals.ts';
import type { PublishExecutorOptions } from './schema.ts';

/**
 * Publishes one project's package (already built: the target depends on `build`) through the shared
 * publishing core. Prints one line per package and a summary; the last publish task of a run also
 * prints the totals for the whole run. Fails the task when the package failed.
 */
const publishExecutor: PromiseExecutor<PublishExecutorOptions> = async (options, context) => {
  const project = context.projectName
    ? context.projectsConfigurations.projects[context.projectName]
    : undefined;
  if (!project) {
    console.error('publish: the executor must run for a project');
    return { success: false };
  }
  const pkg = readPublishable(join(context.root, project.root));
  if (!pkg) {
    console.error(`publish: ${project.root} holds no publishable package (a name, a version, not private)`);
    return { success: false };
  }
  let summary: PublishSummary;
  try {
    const target = await loadPublishTarget({
      workspaceRoot: context.root,
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.config ? { configFile: options.config } : {}),
    });
    summary = await publishPackages([pkg], target, {
      dryRun: options.dryRun ?? false,
      tag: options.tag ?? 'latest',
      logger: (line) => console.log(line),
    });
  } catch (error) {
    summary = failAll([pkg], error instanceof Error ? error.message : String(error));
    for (const outcome of summary.outcomes) console.log(formatOutcome(outcome));
  }
  console.log(formatSummary(summary));
  const totals = await addToRunTotals(summary, context);
  if (totals) console.log(totals);
  return { success: summary.failed === 0 };
};

export default publishExecutor;
