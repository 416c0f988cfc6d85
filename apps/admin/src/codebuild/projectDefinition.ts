import type { CreateProjectInput, WebhookFilter } from '@aws-sdk/client-codebuild';
import type { AdminConfig, CodeBuildConfig } from '../config/adminConfig.ts';

/** The service role's name: configured, or derived from the project. */
export function serviceRoleName(codebuild: CodeBuildConfig): string {
  return codebuild.roleName ?? `${codebuild.projectName}-service-role`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One filter group: a PUSH to the branch that touches the libraries. (Every filter of a group must
 * pass, and at least one group must pass, for a build to start.)
 */
export function webhookFilterGroups(codebuild: CodeBuildConfig): WebhookFilter[][] {
  return [
    [
      { type: 'EVENT', pattern: 'PUSH' },
      { type: 'HEAD_REF', pattern: `^refs/heads/${escapeRegex(codebuild.branch)}$` },
      { type: 'FILE_PATH', pattern: codebuild.filePathPattern },
    ],
  ];
}

/**
 * The project as CreateProject/UpdateProject take it. Full clone history (`gitCloneDepth: 0`) lets
 * `nx affected` compare with the previous commit; the CodeArtifact coordinates reach the buildspec
 * as environment variables.
 */
export function projectDefinition(
  config: Pick<AdminConfig, 'domain' | 'repository' | 'region' | 'scope'>,
  codebuild: CodeBuildConfig,
  owner: string,
  roleArn: string,
): CreateProjectInput {
  const variable = (name: string, value: string) => ({ name, value, type: 'PLAINTEXT' as const });
  return {
    name: codebuild.projectName,
    description: `Builds, tests and publishes the ${config.scope} libraries of ${codebuild.githubRepository} (myorg-admin)`,
    source: {
      type: 'GITHUB',
      location: `https://github.com/${codebuild.githubRepository}.git`,
      gitCloneDepth: 0,
      buildspec: codebuild.buildspec,
      reportBuildStatus: true,
    },
    sourceVersion: `refs/heads/${codebuild.branch}`,
    artifacts: { type: 'NO_ARTIFACTS' },
    environment: {
      type: 'LINUX_CONTAINER',
      image: codebuild.image,
      computeType: codebuild.computeType as NonNullable<CreateProjectInput['environment']>['computeType'],
      environmentVariables: [
        variable('NX_DAEMON', 'false'),
        variable('CODEARTIFACT_DOMAIN', config.domain),
        variable('CODEARTIFACT_DOMAIN_OWNER', owner),
        variable('CODEARTIFACT_REPOSITORY', config.repository),
        variable('CODEARTIFACT_REGION', config.region),
      ],
    },
    serviceRole: roleArn,
  };
}
