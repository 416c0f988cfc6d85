import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { BadGatewayError } from '@myorg/error';
import { awsCall } from './awsErrors.ts';

export interface CallerIdentity {
  account: string;
  arn: string;
}

/** Who the credentials belong to (GetCallerIdentity needs no permission, so it also proves they work). */
export async function callerIdentity(sts: STSClient): Promise<CallerIdentity> {
  const result = await awsCall('GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
  if (!result.Account || !result.Arn) throw new BadGatewayError('GetCallerIdentity returned no account');
  return { account: result.Account, arn: result.Arn };
}

/** The account that owns the domain: the configured one, or the caller's own. */
export async function resolveAccount(sts: STSClient, configured: string | undefined): Promise<string> {
  return configured ?? (await callerIdentity(sts)).account;
}

/** The account root user's ARN ends in `:root`; it may not call GetAuthorizationToken. */
export function isRootUser(arn: string): boolean {
  return /^arn:aws[\w-]*:iam::\d{12}:root$/.test(arn);
}
