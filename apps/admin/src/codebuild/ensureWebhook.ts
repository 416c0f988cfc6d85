import { isDeepStrictEqual } from 'node:util';
import {
  type CodeBuildClient,
  CreateWebhookCommand,
  type Project,
  UpdateWebhookCommand,
  type WebhookFilter,
} from '@aws-sdk/client-codebuild';
import { awsCall, isConflict } from '../aws/awsErrors.ts';
import type { StepOutcome } from '../steps/types.ts';

function normalise(groups: readonly WebhookFilter[][] | undefined) {
  return (groups ?? []).map((group) =>
    group.map(({ type, pattern, excludeMatchedPattern }) => ({
      type,
      pattern,
      excludeMatchedPattern: excludeMatchedPattern ?? false,
    })),
  );
}

/** The GitHub webhook with exactly these filter groups: created, updated, or left alone. */
export async function ensureWebhook(
  codebuild: CodeBuildClient,
  project: Project | undefined,
  projectName: string,
  filterGroups: WebhookFilter[][],
  dryRun: boolean,
): Promise<StepOutcome> {
  const update = async (): Promise<StepOutcome> => {
    if (dryRun)
      return { status: 'would-update', detail: `would update the webhook filters of ${projectName}` };
    await awsCall('UpdateWebhook', () =>
      codebuild.send(new UpdateWebhookCommand({ projectName, filterGroups, buildType: 'BUILD' })),
    );
    return { status: 'updated', detail: `updated the webhook filters of ${projectName}` };
  };
  const webhook = project?.webhook;
  if (webhook !== undefined) {
    if (isDeepStrictEqual(normalise(webhook.filterGroups), normalise(filterGroups))) {
      return { status: 'unchanged', detail: `webhook of ${projectName} is up to date` };
    }
    return update();
  }
  if (dryRun) return { status: 'would-create', detail: `would create the webhook of ${projectName}` };
  try {
    const created = await awsCall('CreateWebhook', () =>
      codebuild.send(new CreateWebhookCommand({ projectName, filterGroups, buildType: 'BUILD' })),
    );
    return {
      status: 'created',
      detail: `created the webhook ${created.webhook?.payloadUrl ?? ''}`.trimEnd(),
    };
  } catch (error) {
    if (!isConflict(error)) throw error;
    return update();
  }
}
