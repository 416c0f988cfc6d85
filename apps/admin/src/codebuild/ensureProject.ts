import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import {
  BatchGetProjectsCommand,
  type CodeBuildClient,
  CreateProjectCommand,
  type CreateProjectInput,
  type Project,
  UpdateProjectCommand,
} from '@aws-sdk/client-codebuild';
import { awsCall, isConflict } from '../aws/awsErrors.ts';
import type { StepOutcome } from '../steps/types.ts';

export async function getProject(codebuild: CodeBuildClient, name: string): Promise<Project | undefined> {
  const result = await awsCall('BatchGetProjects', () =>
    codebuild.send(new BatchGetProjectsCommand({ names: [name] })),
  );
  return result.projects?.[0];
}

/** The fields this tool manages, in a form where an existing project and the definition compare equal. */
function managedFields(project: CreateProjectInput | Project) {
  return {
    description: project.description,
    source: {
      type: project.source?.type,
      location: project.source?.location,
      gitCloneDepth: project.source?.gitCloneDepth,
      buildspec: project.source?.buildspec,
      reportBuildStatus: project.source?.reportBuildStatus,
    },
    sourceVersion: project.sourceVersion,
    artifacts: { type: project.artifacts?.type },
    environment: {
      type: project.environment?.type,
      image: project.environment?.image,
      computeType: project.environment?.computeType,
      environmentVariables: (project.environment?.environmentVariables ?? []).map(
        ({ name, value, type }) => ({
          name,
          value,
          type,
        }),
      ),
    },
    serviceRole: project.serviceRole,
  };
}

/** A new service role is not assumable by CodeBuild for a few seconds: CreateProject says so in InvalidInputException. */
function isRoleNotReady(error: unknown): boolean {
  return error instanceof Error && /InvalidInput/.test(error.message) && /role/i.test(error.message);
}

export interface EnsureProjectOptions {
  dryRun: boolean;
  /** Waits between CreateProject attempts while IAM propagates a new role. */
  roleRetryDelaysMs?: readonly number[];
}

/** The project, created when missing and updated when a managed field differs. */
export async function ensureProject(
  codebuild: CodeBuildClient,
  definition: CreateProjectInput,
  options: EnsureProjectOptions,
): Promise<StepOutcome & { project?: Project }> {
  const name = definition.name!;
  const existing = await getProject(codebuild, name);
  if (existing !== undefined) {
    if (isDeepStrictEqual(managedFields(existing), managedFields(definition))) {
      return { status: 'unchanged', detail: `project ${name} is up to date`, project: existing };
    }
    if (options.dryRun)
      return { status: 'would-update', detail: `would update project ${name}`, project: existing };
    const updated = await awsCall('UpdateProject', () =>
      codebuild.send(new UpdateProjectCommand(definition)),
    );
    // The webhook is not part of an update: what BatchGetProjects said about it still holds.
    return {
      status: 'updated',
      detail: `updated project ${name}`,
      project: { ...existing, ...updated.project },
    };
  }
  if (options.dryRun) return { status: 'would-create', detail: `would create project ${name}` };
  const delays = options.roleRetryDelaysMs ?? [2000, 4000, 8000, 16_000];
  for (let attempt = 0; ; attempt += 1) {
    try {
      const created = await awsCall('CreateProject', () =>
        codebuild.send(new CreateProjectCommand(definition)),
      );
      return {
        status: 'created',
        detail: `created project ${name}`,
        ...(created.project ? { project: created.project } : {}),
      };
    } catch (error) {
      if (isConflict(error)) return ensureProject(codebuild, definition, options);
      const wait = delays[attempt];
      if (!isRoleNotReady(error) || wait === undefined) throw error;
      await delay(wait);
    }
  }
}
