import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodeArtifactStack, type CodeArtifactStackProps } from '../src/CodeArtifactStack.ts';

const props: CodeArtifactStackProps = {
  env: { account: '111122223333', region: 'eu-west-1' },
  domainName: 'myorg',
  repositoryName: 'npm-private',
  upstreamRepositoryName: 'npm-store',
  scope: '@myorg',
  githubRepository: 'myorg/platform',
};

function synth(overrides: Partial<CodeArtifactStackProps> = {}): Template {
  return Template.fromStack(new CodeArtifactStack(new App(), 'Test', { ...props, ...overrides }));
}

describe('CodeArtifactStack', () => {
  let template: Template;
  // The first synthesis loads aws-cdk-lib, which takes a while.
  beforeAll(() => {
    template = synth();
  }, 60_000);

  it('creates the domain, the npm-store proxy of public:npmjs, and the private repository above it', () => {
    template.hasResourceProperties('AWS::CodeArtifact::Domain', { DomainName: 'myorg' });
    template.hasResourceProperties('AWS::CodeArtifact::Repository', {
      RepositoryName: 'npm-store',
      ExternalConnections: ['public:npmjs'],
    });
    template.hasResourceProperties('AWS::CodeArtifact::Repository', {
      RepositoryName: 'npm-private',
      Upstreams: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^UpstreamRepository'), 'Name'] }],
      ExternalConnections: Match.absent(),
    });
  });

  it('creates the GitHub OIDC provider for the sts.amazonaws.com audience', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('lets only workflows of the repository’s main branch assume the publish role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: {
              Federated: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GitHubOidcProvider'), 'Arn'] },
            },
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': 'repo:myorg/platform:ref:refs/heads/main',
              },
            },
          },
        ],
      },
    });
  });

  it('grants the publish role only token, read and publish rights on the scope’s packages', () => {
    const [role] = Object.values(template.findResources('AWS::IAM::Role'));
    const statements = role!.Properties.Policies[0].PolicyDocument.Statement as {
      Action: string | string[];
      Resource: unknown;
    }[];

    expect(statements.flatMap((statement) => statement.Action).sort()).toEqual([
      'codeartifact:DescribePackageVersion',
      'codeartifact:GetAuthorizationToken',
      'codeartifact:GetRepositoryEndpoint',
      'codeartifact:ListPackageVersions',
      'codeartifact:PublishPackageVersion',
      'codeartifact:ReadFromRepository',
      'sts:GetServiceBearerToken',
    ]);
    expect(JSON.stringify(statements)).not.toContain('"*"]');
    const publish = statements.find((statement) =>
      [statement.Action].flat().includes('codeartifact:PublishPackageVersion'),
    );
    expect(publish?.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':codeartifact:eu-west-1:111122223333:package/myorg/npm-private/npm/myorg/*',
        ],
      ],
    });
    const bearer = statements.find(
      (statement) => statement.Action === 'sts:GetServiceBearerToken',
    ) as unknown as {
      Condition: unknown;
    };
    expect(bearer.Condition).toEqual({
      StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('reuses an existing OIDC provider, pins another branch, and connects a lone repository directly', () => {
    const arn = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';

    const other = synth({
      existingOidcProviderArn: arn,
      branch: 'release',
      upstreamRepositoryName: undefined,
    });

    other.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    other.resourceCountIs('AWS::CodeArtifact::Repository', 1);
    other.hasResourceProperties('AWS::CodeArtifact::Repository', { ExternalConnections: ['public:npmjs'] });
    other.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Federated: arn },
            Condition: {
              StringEquals: Match.objectLike({
                'token.actions.githubusercontent.com:sub': 'repo:myorg/platform:ref:refs/heads/release',
              }),
            },
          }),
        ],
      },
    });
  });

  it('outputs the role ARN for configure-aws-credentials', () => {
    template.hasOutput('PublishRoleArn', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PublishRole'), 'Arn'] },
    });
  });
});
