import { join } from 'node:path';
import {
  failAll,
  formatOutcome,
  type PackageToPublish,
  type PublishSummary,
  publishPackages,
  readPublishable,
} from '@myorg/services/publish';
import type { ExecutorContext } from '@nx/devkit';
import { loadPublishTarget } from '../../loadPublishTarget.ts';
import type { PublishExecutorOptions } from './schema.ts';

/** The project's publishable package, or the line that says why it has none. */
export function projectPackage(
  context: Pick<ExecutorContext, 'root' | 'projectsConfigurations'>,
  projectName: string | undefined,
): PackageToPublish | string {
  const project = projectName ? context.projectsConfigurations.projects[projectName] : undefined;
  if (!project) return 'publish: the executor must run for a project';
  return (
    readPublishable(join(context.root, project.root)) ??
    `publish: ${project.root} holds no publishable package (a name, a version, not private)`
  );
}

/**
 * Publishes the packages (already built: the target depends on `build`) through the shared
 * publishing core, in dependency order, one line per package to `logger`. A target that cannot be
 * loaded fails every package with its reason.
 */
export async function publishProjects(
  packages: PackageToPublish[],
  options: PublishExecutorOptions,
  workspaceRoot: string,
  logger: (line: string) => void,
): Promise<PublishSummary> {
  try {
    const target = await loadPublishTarget({
      workspaceRoot,
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.config ? { configFile: options.config } : {}),
    });
    return await publishPackages(packages, target, {
      dryRun: options.dryRun ?? false,
      tag: options.tag ?? 'latest',
      logger,
    });
  } catch (error) {
    const summary = failAll(packages, error instanceof Error ? error.message : String(error));
    for (const outcome of summary.outcomes) logger(formatOutcome(outcome));
    return summary;
  }
}
