import { BadRequestError } from '@myorg/error';
import { resolveAccount } from '../aws/callerIdentity.ts';
import { writeLine } from '../cli/CliIo.ts';
import type { CommandContext } from '../cli/commandContext.ts';
import { buildPolicy, type PolicyName } from '../iam/policies.ts';

const names: readonly PolicyName[] = ['local', 'codebuild', 'consumer'];

/**
 * `myorg-admin iam-policy --for local|codebuild|consumer|all`: least-privilege IAM policy JSON
 * derived from the config (ARNs use the configured account, or the caller's).
 */
export async function iamPolicy(context: CommandContext, options: { for: string }): Promise<void> {
  const wanted = options.for;
  if (wanted !== 'all' && !names.includes(wanted as PolicyName)) {
    throw new BadRequestError(
      `--for must be one of ${[...names, 'all'].join(', ')}, not ${JSON.stringify(wanted)}`,
    );
  }
  const account = await resolveAccount(context.clients.sts, context.config.account);
  const output =
    wanted === 'all'
      ? Object.fromEntries(names.map((name) => [name, buildPolicy(name, context.config, account)]))
      : buildPolicy(wanted as PolicyName, context.config, account);
  writeLine(context.io.stdout, JSON.stringify(output, null, 2));
}
