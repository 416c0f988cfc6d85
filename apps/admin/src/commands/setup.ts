import { resolve } from 'node:path';
import type { RepositoryDescription } from '@aws-sdk/client-codeartifact';
import { AppError } from '@myorg/error';
import {
  type DiscoveredPackage,
  discoverPackages,
  type PublishSummary,
  publishPackages,
} from '@myorg/services/publish';
import type { CommandContext } from '../cli/commandContext.ts';
import { ensureDomain } from '../codeartifact/ensureDomain.ts';
import { ensureExternalConnection } from '../codeartifact/ensureExternalConnection.ts';
import { ensureRepository } from '../codeartifact/ensureRepository.ts';
import { troubles } from '../doctor/troubleshooting.ts';
import { printSummary } from '../steps/printSummary.ts';
import { runSteps } from '../steps/runSteps.ts';
import type { Step, StepReport } from '../steps/types.ts';
import { type AccessState, accountStep, endpointStep, npmrcSteps, tokenStep } from './accessSteps.ts';

export interface SetupOptions {
  dryRun: boolean;
}

/** An inline token already in an .npmrc is kept while it has at least this long left. */
const KEEP_TOKEN_MS = 60 * 60 * 1000;

interface SetupState extends AccessState {
  packages: DiscoveredPackage[];
  /** A dry run found no domain: the repository steps cannot ask AWS about their repositories. */
  domainMissing: boolean;
  /** Each repository as last described; undefined when a dry run would create it. */
  repositories: Map<string, RepositoryDescription | undefined>;
}

function publishFailure(summary: PublishSummary): AppError {
  const failed = summary.outcomes.filter((outcome) => outcome.status === 'failed');
  const lines = failed.map((outcome) => `${outcome.name}@${outcome.version}: ${outcome.reason ?? 'failed'}`);
  const conflict = lines.some((line) => /\b409\b|E409|EPUBLISHCONFLICT/.test(line));
  return new AppError(`publishing failed for ${failed.length} package(s):\n  ${lines.join('\n  ')}`, {
    code: 'EPUBLISH',
    status: 502,
    expose: true,
    details: conflict ? { fix: troubles.publishConflict.fix } : {},
  });
}

function repositorySteps(config: CommandContext['config']): Step<SetupState>[] {
  const { upstreamRepository, repository, externalConnection } = config;
  const connected = upstreamRepository ?? repository;
  const steps: Step<SetupState>[] = [];
  const repositoryStep = (name: string, upstreams: string[], description: string): Step<SetupState> => ({
    title: `Repository ${name}`,
    async run(state) {
      if (state.domainMissing) {
        state.repositories.set(name, undefined);
        return { status: 'would-create', detail: `would create repository ${name}` };
      }
      const outcome = await ensureRepository(state.clients.codeartifact, {
        domain: state.config.domain,
        owner: state.owner,
        repository: name,
        description,
        upstreams,
        dryRun: state.dryRun,
      });
      state.repositories.set(name, outcome.description);
      if (name === state.config.repository && outcome.status === 'would-create') state.notCreatedYet = true;
      return outcome;
    },
  });
  if (upstreamRepository !== undefined) {
    steps.push(
      repositoryStep(
        upstreamRepository,
        [],
        `Proxy of ${externalConnection ?? 'nothing'}: upstream of ${repository}`,
      ),
    );
  }
  if (externalConnection !== undefined) {
    steps.push({
      title: `External connection ${externalConnection}`,
      run: (state) =>
        ensureExternalConnection(state.clients.codeartifact, {
          domain: state.config.domain,
          owner: state.owner,
          repository: connected,
          connection: externalConnection,
          current: state.repositories.get(connected),
          dryRun: state.dryRun,
        }),
    });
  }
  if (upstreamRepository !== repository) {
    steps.push(
      repositoryStep(
        repository,
        upstreamRepository === undefined ? [] : [upstreamRepository],
        `${config.scope} packages`,
      ),
    );
  }
  return steps;
}

function setupSteps(config: CommandContext['config']): Step<SetupState>[] {
  return [
    {
      title: 'Libraries',
      async run(state) {
        const libsDir = resolve(state.config.baseDir, state.config.libsPath);
        state.packages = discoverPackages(libsDir, state.config.scope);
        const unbuilt = state.packages.filter((pkg) => pkg.missingFiles.length > 0);
        if (unbuilt.length > 0) {
          const list = unbuilt.map((pkg) => `${pkg.name} (${pkg.missingFiles.join(', ')})`).join(', ');
          throw new AppError(`not built: ${list}`, {
            code: 'EUNBUILT',
            status: 400,
            details: { fix: troubles.unbuiltLibraries.fix },
          });
        }
        return {
          status: 'checked',
          detail: `${state.packages.length} ${state.config.scope} package(s) in ${libsDir}`,
        };
      },
    },
    accountStep(),
    {
      title: `Domain ${config.domain}`,
      async run(state) {
        const outcome = await ensureDomain(state.clients.codeartifact, {
          domain: state.config.domain,
          owner: state.owner,
          dryRun: state.dryRun,
        });
        state.domainMissing = outcome.status === 'would-create';
        state.notCreatedYet = state.domainMissing;
        return outcome;
      },
    },
    ...repositorySteps(config),
    tokenStep(),
    endpointStep(),
    {
      title: 'Publish libraries',
      async run(state, report) {
        if (state.registryUrl === undefined) {
          return { status: 'would-publish', detail: `would publish ${state.packages.length} package(s)` };
        }
        const summary = await publishPackages(
          state.packages.map(({ name, version, dir, dependencies }) => ({
            name,
            version,
            dir,
            dependencies,
          })),
          {
            kind: 'codeartifact',
            domain: state.config.domain,
            domainOwner: state.owner,
            repository: state.config.repository,
            region: state.config.region,
            ...(state.endpoint === undefined ? {} : { endpoint: state.endpoint }),
            ...(state.config.profile === undefined ? {} : { profile: state.config.profile }),
            tokenDurationSeconds: 900,
          },
          { dryRun: state.dryRun, logger: report, env: { ...state.io.env } },
        );
        if (summary.failed > 0) throw publishFailure(summary);
        const wouldPublish = summary.outcomes.filter((outcome) => outcome.status === 'would-publish').length;
        if (wouldPublish > 0) {
          return {
            status: 'would-publish',
            detail: `would publish ${wouldPublish}, ${summary.skipped} already there`,
          };
        }
        if (summary.published > 0) {
          return {
            status: 'published',
            detail: `published ${summary.published}, ${summary.skipped} already there`,
          };
        }
        return { status: 'unchanged', detail: `all ${summary.skipped} version(s) already published` };
      },
    },
    ...npmrcSteps<SetupState>(config.consumerPaths, KEEP_TOKEN_MS),
  ];
}

/**
 * `myorg-admin setup`: everything from the domain to the consumers' `.npmrc`, each step idempotent,
 * so a second run reports that nothing changed. Returns the step reports.
 */
export async function setup(context: CommandContext, options: SetupOptions): Promise<StepReport[]> {
  const state: SetupState = {
    ...context,
    dryRun: options.dryRun,
    owner: '',
    packages: [],
    notCreatedYet: false,
    domainMissing: false,
    repositories: new Map(),
  };
  const reports = await runSteps(setupSteps(context.config), state, context.io, (done) =>
    printSummary(done, context.io, { dryRun: options.dryRun }),
  );
  printSummary(reports, context.io, { dryRun: options.dryRun });
  return reports;
}
