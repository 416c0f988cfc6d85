import { isDeepStrictEqual } from 'node:util';
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { awsCall, isConflict, isNotFound } from '../aws/awsErrors.ts';
import type { PolicyDocument, TrustPolicyDocument } from '../iam/policies.ts';
import type { StepOutcome } from '../steps/types.ts';

export const SERVICE_ROLE_POLICY_NAME = 'codeartifact-publish';

export interface EnsureServiceRoleInput {
  roleName: string;
  trustPolicy: TrustPolicyDocument;
  policy: PolicyDocument;
  dryRun: boolean;
}

/** IAM returns policy documents URL-encoded. */
function decodeDocument(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(decodeURIComponent(text));
}

/**
 * The CodeBuild service role with exactly the given trust policy and inline policy: created when
 * missing, corrected when either document differs, untouched otherwise. Returns the role's ARN.
 */
export async function ensureServiceRole(
  iam: IAMClient,
  input: EnsureServiceRoleInput,
): Promise<StepOutcome & { roleArn?: string }> {
  const { roleName: RoleName, dryRun } = input;
  const getRole = async () => {
    try {
      return (await awsCall('GetRole', () => iam.send(new GetRoleCommand({ RoleName })))).Role;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  let role = await getRole();
  const changes: string[] = [];
  let created = false;
  if (role === undefined) {
    if (dryRun) return { status: 'would-create', detail: `would create role ${RoleName} with its policy` };
    try {
      const result = await awsCall('CreateRole', () =>
        iam.send(
          new CreateRoleCommand({
            RoleName,
            AssumeRolePolicyDocument: JSON.stringify(input.trustPolicy),
            Description: 'CodeBuild service role: publishes the scope packages to CodeArtifact (myorg-admin)',
          }),
        ),
      );
      role = result.Role;
      created = true;
    } catch (error) {
      if (!isConflict(error)) throw error;
      role = await getRole();
    }
  }
  if (!created && !isDeepStrictEqual(decodeDocument(role?.AssumeRolePolicyDocument), input.trustPolicy)) {
    if (!dryRun) {
      await awsCall('UpdateAssumeRolePolicy', () =>
        iam.send(
          new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify(input.trustPolicy) }),
        ),
      );
    }
    changes.push('trust policy');
  }
  let current: unknown;
  try {
    const result = await awsCall('GetRolePolicy', () =>
      iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: SERVICE_ROLE_POLICY_NAME })),
    );
    current = decodeDocument(result.PolicyDocument);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!isDeepStrictEqual(current, input.policy)) {
    if (!dryRun) {
      await awsCall('PutRolePolicy', () =>
        iam.send(
          new PutRolePolicyCommand({
            RoleName,
            PolicyName: SERVICE_ROLE_POLICY_NAME,
            PolicyDocument: JSON.stringify(input.policy),
          }),
        ),
      );
    }
    changes.push(`policy ${SERVICE_ROLE_POLICY_NAME}`);
  }
  const roleArn = role?.Arn;
  const withArn = roleArn === undefined ? {} : { roleArn };
  if (created) return { status: 'created', detail: `created role ${RoleName} with its policy`, ...withArn };
  if (changes.length === 0)
    return { status: 'unchanged', detail: `role ${RoleName} is up to date`, ...withArn };
  return {
    status: dryRun ? 'would-update' : 'updated',
    detail: `${dryRun ? 'would update' : 'updated'} ${changes.join(' and ')} of role ${RoleName}`,
    ...withArn,
  };
}
