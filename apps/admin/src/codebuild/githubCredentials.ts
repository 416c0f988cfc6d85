import {
  type CodeBuildClient,
  ImportSourceCredentialsCommand,
  ListSourceCredentialsCommand,
} from '@aws-sdk/client-codebuild';
import { awsCall } from '../aws/awsErrors.ts';
import type { StepOutcome } from '../steps/types.ts';

/**
 * CodeBuild's GitHub source credential, which it uses to create the webhook in the repository.
 * There is one per account and region, shared by every project: an existing one is kept unless
 * `replace` is set.
 */
export async function ensureGitHubCredentials(
  codebuild: CodeBuildClient,
  token: string,
  options: { replace: boolean; dryRun: boolean },
): Promise<StepOutcome> {
  const listed = await awsCall('ListSourceCredentials', () =>
    codebuild.send(new ListSourceCredentialsCommand({})),
  );
  const existing = (listed.sourceCredentialsInfos ?? []).find((info) => info.serverType === 'GITHUB');
  if (existing !== undefined && !options.replace) {
    return {
      status: 'unchanged',
      detail: `CodeBuild has GitHub credentials (${existing.authType ?? 'unknown type'})`,
    };
  }
  const verb = existing === undefined ? 'create' : 'update';
  if (options.dryRun)
    return { status: `would-${verb}`, detail: `would import the GitHub token into CodeBuild` };
  await awsCall('ImportSourceCredentials', () =>
    codebuild.send(
      new ImportSourceCredentialsCommand({
        token,
        serverType: 'GITHUB',
        authType: 'PERSONAL_ACCESS_TOKEN',
        shouldOverwrite: existing !== undefined,
      }),
    ),
  );
  return { status: `${verb}d`, detail: 'imported the GitHub token into CodeBuild' };
}
