import {
  AssociateExternalConnectionCommand,
  type CodeartifactClient,
  DescribeRepositoryCommand,
  type RepositoryDescription,
} from '@aws-sdk/client-codeartifact';
import { ConflictError } from '@myorg/error';
import { awsCall, isConflict } from '../aws/awsErrors.ts';
import type { StepOutcome } from '../steps/types.ts';

export interface EnsureExternalConnectionInput {
  domain: string;
  owner: string;
  repository: string;
  /** `public:npmjs`. */
  connection: string;
  /** The repository as last described, when known (undefined in a dry run that would create it). */
  current: RepositoryDescription | undefined;
  dryRun: boolean;
}

function connectionsOf(repository: RepositoryDescription | undefined): string[] {
  return (repository?.externalConnections ?? []).map((info) => info.externalConnectionName ?? '');
}

/**
 * The external connection on the repository. A repository holds at most one: a Conflict from
 * AssociateExternalConnection is fine when a fresh Describe shows ours, and an error naming the
 * other connection otherwise.
 */
export async function ensureExternalConnection(
  client: CodeartifactClient,
  input: EnsureExternalConnectionInput,
): Promise<StepOutcome> {
  const { domain, owner, repository, connection } = input;
  const unchanged: StepOutcome = {
    status: 'unchanged',
    detail: `${repository} is connected to ${connection}`,
  };
  if (connectionsOf(input.current).includes(connection)) return unchanged;
  if (input.dryRun) return { status: 'would-create', detail: `would connect ${repository} to ${connection}` };
  try {
    await awsCall('AssociateExternalConnection', () =>
      client.send(
        new AssociateExternalConnectionCommand({
          domain,
          domainOwner: owner,
          repository,
          externalConnection: connection,
        }),
      ),
    );
    return { status: 'created', detail: `connected ${repository} to ${connection}` };
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
  const { repository: fresh } = await awsCall('DescribeRepository', () =>
    client.send(new DescribeRepositoryCommand({ domain, domainOwner: owner, repository })),
  );
  const connections = connectionsOf(fresh);
  if (connections.includes(connection)) return unchanged;
  throw new ConflictError(
    `repository ${repository} already has the external connection ${connections.join(', ')}; a repository holds only one`,
    {
      details: {
        fix: `set "upstreamRepository" to a repository for ${connection}, or disassociate the other connection`,
      },
    },
  );
}
