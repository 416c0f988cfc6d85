import {
  type CodeartifactClient,
  CreateDomainCommand,
  DescribeDomainCommand,
  type DomainDescription,
} from '@aws-sdk/client-codeartifact';
import { awsCall, isConflict, isNotFound } from '../aws/awsErrors.ts';
import type { StepOutcome } from '../steps/types.ts';

export interface EnsureDomainInput {
  domain: string;
  owner: string;
  dryRun: boolean;
}

/**
 * The domain, created when missing: Describe, then Create on ResourceNotFound, then Describe again
 * when Create reports a Conflict (someone created it in between).
 */
export async function ensureDomain(
  client: CodeartifactClient,
  input: EnsureDomainInput,
): Promise<StepOutcome & { description?: DomainDescription }> {
  const describe = () =>
    awsCall('DescribeDomain', () =>
      client.send(new DescribeDomainCommand({ domain: input.domain, domainOwner: input.owner })),
    );
  try {
    const { domain } = await describe();
    return { status: 'unchanged', detail: `domain ${input.domain} exists`, description: domain };
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (input.dryRun) return { status: 'would-create', detail: `would create domain ${input.domain}` };
  try {
    const { domain } = await awsCall('CreateDomain', () =>
      client.send(new CreateDomainCommand({ domain: input.domain })),
    );
    return { status: 'created', detail: `created domain ${input.domain}`, description: domain };
  } catch (error) {
    if (!isConflict(error)) throw error;
    const { domain } = await describe();
    return {
      status: 'unchanged',
      detail: `domain ${input.domain} exists (created concurrently)`,
      description: domain,
    };
  }
}
