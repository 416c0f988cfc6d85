import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PromiseExecutor } from '@nx/devkit';
import { loadPublishTarget } from '../../publishing/loadPublishTarget.ts';
import { publishPackages } from '../../publishing/publishPackages.ts';
import { failAll, formatOutcome, formatSummary } from '../../publishing/summary.ts';
import type { PackageToPublish, PublishSummary } from '../../publishing/types.ts';
import { addToRunTotals } from './runTotals.ts';
import type { PublishExecutorOptions } from './schema.ts';

async function projectPackage(root: string, projectRoot: string): Promise<PackageToPublish> {
  const dir = join(root, projectRoot);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    name?: string;
    version?: string;
  };
  return { name: manifest.name ?? projectRoot, version: manifest.version ?? '0.0.0', dir };
}

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
  const pkg = await projectPackage(context.root, project.root);
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
