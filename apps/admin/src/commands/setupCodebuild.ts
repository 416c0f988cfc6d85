import type { Project } from '@aws-sdk/client-codebuild';
import { AppError, BadRequestError } from '@myorg/error';
import { GitHubClient } from '@myorg/services';
import { resolveAccount } from '../aws/callerIdentity.ts';
import type { CommandContext } from '../cli/commandContext.ts';
import { ensureProject } from '../codebuild/ensureProject.ts';
import { ensureServiceRole } from '../codebuild/ensureServiceRole.ts';
import { ensureWebhook } from '../codebuild/ensureWebhook.ts';
import { ensureGitHubCredentials } from '../codebuild/githubCredentials.ts';
import { projectDefinition, serviceRoleName, webhookFilterGroups } from '../codebuild/projectDefinition.ts';
import { removeSteps } from '../codebuild/removeCodeBuild.ts';
import type { CodeBuildConfig } from '../config/adminConfig.ts';
import { troubles } from '../doctor/troubleshooting.ts';
import { buildPolicy, codebuildTrustPolicy } from '../iam/policies.ts';
import { printSummary } from '../steps/printSummary.ts';
import { runSteps } from '../steps/runSteps.ts';
import type { Step, StepReport } from '../steps/types.ts';

/** Classic-token scopes CodeBuild needs to read the repository and manage its webhook. */
export const REQUIRED_GITHUB_SCOPES = ['repo', 'admin:repo_hook'] as const;

export interface SetupCodebuildOptions {
  dryRun: boolean;
  remove: boolean;
  /** Replace CodeBuild's stored GitHub credential with GITHUB_TOKEN. */
  importGithubToken: boolean;
  /** Waits between CreateProject attempts while IAM propagates a new role (tests shorten them). */
  roleRetryDelaysMs?: readonly number[];
}

interface CodebuildState extends CommandContext {
  codebuildConfig: CodeBuildConfig;
  githubToken: string;
  owner: string;
  roleArn?: string;
  project?: Project;
}

function installSteps(options: SetupCodebuildOptions): Step<CodebuildState>[] {
  const { dryRun } = options;
  return [
    {
      title: 'GitHub token',
      async run(state) {
        const { githubRepository, githubApiUrl } = state.codebuildConfig;
        const github = new GitHubClient({
          token: state.githubToken,
          ...(githubApiUrl ? { baseUrl: githubApiUrl } : {}),
        });
        try {
          await github.requireScopes(REQUIRED_GITHUB_SCOPES);
        } catch (error) {
          if (error instanceof AppError && error.code === 'EGITHUBSCOPES') {
            throw new AppError(error.message, {
              status: 403,
              code: error.code,
              details: { ...error.details, fix: troubles.githubScopes.fix },
            });
          }
          throw error;
        }
        const [owner, repo] = githubRepository.split('/') as [string, string];
        const repository = await github.getRepository(owner, repo);
        return {
          status: 'checked',
          detail: `has ${REQUIRED_GITHUB_SCOPES.join(', ')}; sees ${repository.fullName}`,
        };
      },
    },
    {
      title: 'AWS account',
      async run(state) {
        state.owner = await resolveAccount(state.clients.sts, state.config.account);
        return { status: 'checked', detail: state.owner };
      },
    },
    {
      title: 'CodeBuild GitHub credentials',
      run: (state) =>
        ensureGitHubCredentials(state.clients.codebuild, state.githubToken, {
          replace: options.importGithubToken,
          dryRun,
        }),
    },
    {
      title: 'Service role',
      async run(state) {
        const outcome = await ensureServiceRole(state.clients.iam, {
          roleName: serviceRoleName(state.codebuildConfig),
          trustPolicy: codebuildTrustPolicy(state.owner),
          policy: buildPolicy('codebuild', state.config, state.owner),
          dryRun,
        });
        state.roleArn =
          outcome.roleArn ?? `arn:aws:iam::${state.owner}:role/${serviceRoleName(state.codebuildConfig)}`;
        return outcome;
      },
    },
    {
      title: 'Project',
      async run(state) {
        const definition = projectDefinition(
          state.config,
          state.codebuildConfig,
          state.owner,
          state.roleArn!,
        );
        const outcome = await ensureProject(state.clients.codebuild, definition, {
          dryRun,
          ...(options.roleRetryDelaysMs === undefined
            ? {}
            : { roleRetryDelaysMs: options.roleRetryDelaysMs }),
        });
        if (outcome.project !== undefined) state.project = outcome.project;
        return outcome;
      },
    },
    {
      title: 'Webhook',
      run: (state) =>
        ensureWebhook(
          state.clients.codebuild,
          state.project,
          state.codebuildConfig.projectName,
          webhookFilterGroups(state.codebuildConfig),
          dryRun,
        ),
    },
  ];
}

/**
 * `myorg-admin setup-codebuild`: checks the GitHub token's scopes, then makes sure the CodeBuild
 * project, its service role and its GitHub webhook exist as configured (or, with `remove`, that
 * they are gone). Idempotent: a second run reports no change.
 */
export async function setupCodebuild(
  context: CommandContext,
  options: SetupCodebuildOptions,
): Promise<StepReport[]> {
  const codebuildConfig = context.config.codebuild;
  if (codebuildConfig === undefined) {
    throw new BadRequestError('the config has no "codebuild" section', {
      details: {
        fix: 'add "codebuild": { "projectName": ..., "githubRepository": "owner/name" } (see the README)',
      },
    });
  }
  if (options.remove) {
    const state = { codebuild: context.clients.codebuild, iam: context.clients.iam, dryRun: options.dryRun };
    const reports = await runSteps(
      removeSteps(codebuildConfig.projectName, serviceRoleName(codebuildConfig)),
      state,
      context.io,
    );
    printSummary(reports, context.io, options);
    return reports;
  }
  const githubToken = context.io.env.GITHUB_TOKEN || context.io.env.GH_TOKEN;
  if (!githubToken) {
    throw new BadRequestError('GITHUB_TOKEN is not set', { details: { fix: troubles.githubScopes.fix } });
  }
  const state: CodebuildState = { ...context, codebuildConfig, githubToken, owner: '' };
  const reports = await runSteps(installSteps(options), state, context.io, (done) =>
    printSummary(done, context.io, options),
  );
  printSummary(reports, context.io, options);
  return reports;
}
