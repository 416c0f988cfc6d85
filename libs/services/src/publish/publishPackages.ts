import { mapConcurrent } from '@myorg/array';
import { dependencyLevels } from './dependencyLevels.ts';
import { resolveTarget } from './resolveTarget.ts';
import { failAll, formatOutcome, summarize } from './summary.ts';
import type {
  PackageToPublish,
  PublishOutcome,
  PublishSummary,
  PublishTarget,
  ResolvedTarget,
} from './types.ts';

export interface PublishPackagesOptions {
  /** Check the registry and report `would-publish`, but upload nothing. */
  dryRun?: boolean;
  /** The dist-tag for new versions. Defaults to `latest`. */
  tag?: string;
  /** Receives one line per package and one naming the registry. */
  logger?: (line: string) => void;
  /** Packages in flight at once, within one dependency level. Defaults to 4. */
  concurrency?: number;
  /** Where `${VAR}` references in the target come from. Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function publishOne(
  pkg: PackageToPublish,
  target: ResolvedTarget | undefined,
  options: { dryRun: boolean; tag: string },
): Promise<PublishOutcome> {
  const { name, version } = pkg;
  if (target === undefined) return { name, version, status: 'would-publish', reason: 'registry not asked' };
  try {
    if (await target.isPublished(name, version)) {
      return { name, version, status: 'skipped', reason: 'already in the registry' };
    }
    if (options.dryRun) return { name, version, status: 'would-publish' };
    const result = await target.uploader(pkg, target, { tag: options.tag });
    return result === 'published'
      ? { name, version, status: 'published' }
      : { name, version, status: 'skipped', reason: 'the registry already had it' };
  } catch (error) {
    return { name, version, status: 'failed', reason: messageOf(error) };
  }
}

/**
 * Publishes each package unless its version is already in the target, checked at the registry
 * itself, in dependency order: a package goes out only after the packages of the run it depends
 * on, so a consumer never sees a version whose dependencies are missing. Never throws for a
 * package: a failure is an outcome, so one bad package does not hide the others; its dependents
 * fail with it. A target that cannot be resolved fails every package with its reason, except in a
 * dry run, which then lists every package as one it would publish.
 */
export async function publishPackages(
  packages: PackageToPublish[],
  target: PublishTarget,
  options: PublishPackagesOptions = {},
): Promise<PublishSummary> {
  const { dryRun = false, tag = 'latest', logger = () => {}, concurrency = 4 } = options;
  const levels = dependencyLevels(packages);
  let resolved: ResolvedTarget | undefined;
  try {
    resolved = await resolveTarget(target, options.env === undefined ? {} : { env: options.env });
    logger(`registry ${resolved.registryUrl}${dryRun ? ' (dry run)' : ''}`);
  } catch (error) {
    if (!dryRun) {
      const summary = failAll(levels.flat(), messageOf(error));
      for (const outcome of summary.outcomes) logger(formatOutcome(outcome));
      return summary;
    }
    // A dry run still shows what would go out (on a laptop without the CI's AWS credentials, say);
    // it only cannot tell which versions the registry has already.
    logger(`registry not asked (dry run): ${messageOf(error)}`);
  }
  const failed = new Set<string>();
  const outcomes: PublishOutcome[] = [];
  for (const level of levels) {
    const done = await mapConcurrent(level, concurrency, async (pkg) => {
      const broken = pkg.dependencies?.find((name) => failed.has(name));
      const outcome: PublishOutcome =
        broken === undefined
          ? await publishOne(pkg, resolved, { dryRun, tag })
          : {
              name: pkg.name,
              version: pkg.version,
              status: 'failed',
              reason: `its dependency ${broken} failed`,
            };
      logger(formatOutcome(outcome));
      return outcome;
    });
    for (const outcome of done) if (outcome.status === 'failed') failed.add(outcome.name);
    outcomes.push(...done);
  }
  return summarize(outcomes);
}
