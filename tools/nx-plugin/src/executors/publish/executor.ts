import { formatSummary } from '@myorg/services/publish';
import type { PromiseExecutor } from '@nx/devkit';
import { projectPackage, publishProjects } from './publishProjects.ts';
import { addToRunTotals } from './runTotals.ts';
import type { PublishExecutorOptions } from './schema.ts';

/**
 * Publishes one project's package. Prints one line per package and a summary; the last publish
 * task of a run also prints the totals for the whole run. Fails the task when the package failed.
 * Nx runs `batch.ts` instead when it can hand over several publish tasks at once.
 */
const publishExecutor: PromiseExecutor<PublishExecutorOptions> = async (options, context) => {
  const pkg = projectPackage(context, context.projectName);
  if (typeof pkg === 'string') {
    console.error(pkg);
    return { success: false };
  }
  const summary = await publishProjects([pkg], options, context.root, (line) => console.log(line));
  console.log(formatSummary(summary));
  const totals = await addToRunTotals(summary, context);
  if (totals) console.log(totals);
  return { success: summary.failed === 0 };
};

export default publishExecutor;
