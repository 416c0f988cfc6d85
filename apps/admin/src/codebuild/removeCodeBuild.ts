import { type CodeBuildClient, DeleteProjectCommand, DeleteWebhookCommand } from '@aws-sdk/client-codebuild';
import { DeleteRoleCommand, DeleteRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { awsCall, isNotFound } from '../aws/awsErrors.ts';
import type { Step, StepOutcome } from '../steps/types.ts';
import { getProject } from './ensureProject.ts';
import { SERVICE_ROLE_POLICY_NAME } from './ensureServiceRole.ts';

interface RemoveState {
  codebuild: CodeBuildClient;
  iam: IAMClient;
  dryRun: boolean;
}

/** Runs a delete; "not found" means it is already gone. */
async function remove(
  what: string,
  action: string,
  call: () => Promise<unknown>,
  dryRun: boolean,
): Promise<StepOutcome> {
  if (dryRun) return { status: 'would-remove', detail: `would remove ${what}` };
  try {
    await awsCall(action, call);
    return { status: 'removed', detail: `removed ${what}` };
  } catch (error) {
    if (isNotFound(error)) return { status: 'unchanged', detail: `${what} does not exist` };
    throw error;
  }
}

/**
 * `setup-codebuild --remove`: the webhook, the project, then the role's policy and the role. The
 * GitHub source credential is shared by every project of the account and is left in place.
 */
export function removeSteps(projectName: string, roleName: string): Step<RemoveState>[] {
  return [
    {
      title: `Project ${projectName}`,
      async run(state) {
        const project = await getProject(state.codebuild, projectName);
        if (project === undefined)
          return { status: 'unchanged', detail: `project ${projectName} does not exist` };
        if (project.webhook !== undefined) {
          await remove(
            'webhook',
            'DeleteWebhook',
            () => state.codebuild.send(new DeleteWebhookCommand({ projectName })),
            state.dryRun,
          );
        }
        return remove(
          `project ${projectName}${project.webhook ? ' and its webhook' : ''}`,
          'DeleteProject',
          () => state.codebuild.send(new DeleteProjectCommand({ name: projectName })),
          state.dryRun,
        );
      },
    },
    {
      title: `Role ${roleName}`,
      async run(state) {
        const policy = await remove(
          `policy ${SERVICE_ROLE_POLICY_NAME}`,
          'DeleteRolePolicy',
          () =>
            state.iam.send(
              new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: SERVICE_ROLE_POLICY_NAME }),
            ),
          state.dryRun,
        );
        const role = await remove(
          `role ${roleName}`,
          'DeleteRole',
          () => state.iam.send(new DeleteRoleCommand({ RoleName: roleName })),
          state.dryRun,
        );
        return policy.status === 'removed' && role.status === 'unchanged' ? policy : role;
      },
    },
  ];
}
