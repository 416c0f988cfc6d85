import { App } from 'aws-cdk-lib';
import { CodeArtifactStack } from './CodeArtifactStack.ts';

/**
 * `node src/app.ts` synthesises the stack into `cdk.out/` without the CDK CLI or an AWS account;
 * `npx cdk deploy --app cdk.out` (with the CLI installed) deploys it. Settings come from CDK context
 * (`-c key=value`, or `cdk.json`) or the environment.
 */
const app = new App();
const setting = (key: string, env: string, fallback?: string): string => {
  const value = (app.node.tryGetContext(key) as string | undefined) ?? process.env[env] ?? fallback;
  if (value === undefined) throw new Error(`set the CDK context "${key}" or the environment variable ${env}`);
  return value;
};

new CodeArtifactStack(app, 'MyorgCodeArtifact', {
  domainName: setting('domain', 'CODEARTIFACT_DOMAIN', 'myorg'),
  repositoryName: setting('repository', 'CODEARTIFACT_REPOSITORY', 'npm-private'),
  upstreamRepositoryName: setting('upstreamRepository', 'CODEARTIFACT_UPSTREAM_REPOSITORY', 'npm-store'),
  scope: setting('scope', 'NPM_SCOPE', '@myorg'),
  githubRepository: setting('githubRepository', 'GITHUB_REPOSITORY'),
  branch: setting('branch', 'RELEASE_BRANCH', 'main'),
  ...(process.env.GITHUB_OIDC_PROVIDER_ARN
    ? { existingOidcProviderArn: process.env.GITHUB_OIDC_PROVIDER_ARN }
    : {}),
});
app.synth();
