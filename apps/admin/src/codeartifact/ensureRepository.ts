import {
  type CodeartifactClient,
  CreateRepositoryCommand,
  DescribeRepositoryCommand,
  type RepositoryDescription,
  UpdateRepositoryCommand,
} from '@aws-sdk/client-codeartifact';
import { awsCall, isConflict, isNotFound } from '../aws/awsErrors.ts';
import type { StepOutcome } from '../steps/types.ts';

export interface EnsureRepositoryInput {
  domain: string;
  owner: string;
  repository: string;
  description: string;
  /** Upstream repositories it must have (others already there are kept). */
  upstreams: string[];
  dryRun: boolean;
}

export type RepositoryOutcome = StepOutcome & { description?: RepositoryDescription };

/**
 * The repository with at least the given upstreams: created when missing (Describe, Create,
 * Describe again on Conflict), and its upstream list extended when one is missing.
 */
export async function ensureRepository(
  client: CodeartifactClient,
  input: EnsureRepositoryInput,
): Promise<RepositoryOutcome> {
  const { domain, owner, repository } = input;
  const describe = async () => {
    const result = await awsCall('DescribeRepository', () =>
      client.send(new DescribeRepositoryCommand({ domain, domainOwner: owner, repository })),
    );
    return result.repository;
  };
  let existing: RepositoryDescription | undefined;
  try {
    existing = await describe();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (existing === undefined) {
    if (input.dryRun)
      return {
        status: 'would-create',
        detail: `would create repository ${repository}${withUpstreams(input.upstreams)}`,
      };
    try {
      const created = await awsCall('CreateRepository', () =>
        client.send(
          new CreateRepositoryCommand({
            domain,
            domainOwner: owner,
            repository,
            description: input.description,
            upstreams: input.upstreams.map((repositoryName) => ({ repositoryName })),
          }),
        ),
      );
      return {
        status: 'created',
        detail: `created repository ${repository}${withUpstreams(input.upstreams)}`,
        description: created.repository,
      };
    } catch (error) {
      if (!isConflict(error)) throw error;
      existing = await describe();
    }
  }
  return ensureUpstreams(client, input, existing);
}

async function ensureUpstreams(
  client: CodeartifactClient,
  input: EnsureRepositoryInput,
  existing: RepositoryDescription | undefined,
): Promise<RepositoryOutcome> {
  const current = (existing?.upstreams ?? []).map((upstream) => upstream.repositoryName ?? '');
  const missing = input.upstreams.filter((name) => !current.includes(name));
  if (missing.length === 0) {
    return {
      status: 'unchanged',
      detail: `repository ${input.repository} exists${withUpstreams(current)}`,
      description: existing,
    };
  }
  if (input.dryRun) {
    return {
      status: 'would-update',
      detail: `would add upstream ${missing.join(', ')} to ${input.repository}`,
      description: existing,
    };
  }
  // UpdateRepository replaces the whole list: the existing upstreams keep their order and priority.
  const upstreams = [...current, ...missing].map((repositoryName) => ({ repositoryName }));
  const updated = await awsCall('UpdateRepository', () =>
    client.send(
      new UpdateRepositoryCommand({
        domain: input.domain,
        domainOwner: input.owner,
        repository: input.repository,
        upstreams,
      }),
    ),
  );
  return {
    status: 'updated',
    detail: `added upstream ${missing.join(', ')} to ${input.repository}`,
    description: updated.repository,
  };
}

function withUpstreams(upstreams: readonly string[]): string {
  return upstreams.length === 0 ? '' : ` (upstream: ${upstreams.join(', ')})`;
}
