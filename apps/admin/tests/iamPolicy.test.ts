import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { iamPolicy } from '../src/commands/iamPolicy.ts';
import { buildPolicy, codebuildTrustPolicy, type PolicyDocument } from '../src/iam/policies.ts';
import { adminConfig, codebuildConfig, commandContext } from './support/fixtures.ts';
import { mockSdkClient } from './support/sdkMock.ts';
import { testIo } from './support/testIo.ts';

const codebuild = codebuildConfig();

function actionsOf(policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((statement) => statement.Action).sort();
}

describe('IAM policies', () => {
  const sts = mockSdkClient(STSClient);
  afterEach(() => sts.reset());

  it('limits publishing to the scope’s packages in the one repository', () => {
    const policy = buildPolicy('codebuild', adminConfig('/x', { codebuild }), '111122223333');

    const publish = policy.Statement.find((statement) => statement.Sid === 'PublishScopePackages');

    expect(publish?.Resource).toBe(
      'arn:aws:codeartifact:us-east-1:111122223333:package/myorg/npm-private/npm/myorg/*',
    );
    expect(policy.Statement.find((statement) => statement.Sid === 'BuildLogs')?.Resource).toEqual([
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/libs-release',
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/libs-release:*',
    ]);
    expect(actionsOf(policy)).not.toContain('codeartifact:CreateDomain');
    expect(
      policy.Statement.find((statement) => statement.Sid === 'CodeArtifactBearerToken')?.Condition,
    ).toEqual({
      StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' },
    });
  });

  it('gives the local admin exactly what setup and setup-codebuild call', () => {
    const withoutCodebuild = buildPolicy('local', adminConfig('/x'), '111122223333');
    const withCodebuild = buildPolicy('local', adminConfig('/x', { codebuild }), '111122223333');

    expect(actionsOf(withoutCodebuild)).toEqual([
      'codeartifact:AssociateExternalConnection',
      'codeartifact:AssociateWithDownstreamRepository',
      'codeartifact:CreateDomain',
      'codeartifact:CreateRepository',
      'codeartifact:DescribeDomain',
      'codeartifact:DescribePackageVersion',
      'codeartifact:DescribeRepository',
      'codeartifact:GetAuthorizationToken',
      'codeartifact:GetRepositoryEndpoint',
      'codeartifact:ListPackageVersions',
      'codeartifact:PublishPackageVersion',
      'codeartifact:ReadFromRepository',
      'codeartifact:UpdateRepository',
      'sts:GetServiceBearerToken',
    ]);
    const passRole = withCodebuild.Statement.find(
      (statement) => statement.Sid === 'PassServiceRoleToCodeBuild',
    );
    expect(passRole?.Resource).toBe('arn:aws:iam::111122223333:role/libs-release-service-role');
    expect(passRole?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'codebuild.amazonaws.com' },
    });
  });

  it('drops the upstream and connection rights when neither is configured', () => {
    const policy = buildPolicy(
      'local',
      adminConfig('/x', { upstreamRepository: undefined, externalConnection: undefined }),
      '1',
    );

    expect(actionsOf(policy)).not.toContain('codeartifact:AssociateExternalConnection');
    expect(actionsOf(policy)).not.toContain('codeartifact:AssociateWithDownstreamRepository');
    expect(policy.Statement.find((statement) => statement.Sid === 'Repositories')?.Resource).toEqual([
      'arn:aws:codeartifact:us-east-1:1:repository/myorg/npm-private',
    ]);
  });

  it('lets only CodeBuild acting for the account assume the service role', () => {
    expect(codebuildTrustPolicy('111122223333').Statement[0]).toMatchObject({
      Principal: { Service: 'codebuild.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
  });

  it('prints the policies as JSON, with the caller’s account when the config has none', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '999988887777', Arn: 'arn:aws:iam::999988887777:user/a' });
    const io = testIo('/x');

    await iamPolicy(commandContext(adminConfig('/x', { account: undefined }), io), { for: 'all' });

    const printed = JSON.parse(io.out());
    expect(Object.keys(printed)).toEqual(['local', 'codebuild', 'consumer']);
    expect(actionsOf(printed.consumer)).toEqual([
      'codeartifact:GetAuthorizationToken',
      'codeartifact:GetRepositoryEndpoint',
      'codeartifact:ReadFromRepository',
      'sts:GetServiceBearerToken',
    ]);
    expect(JSON.stringify(printed)).toContain(':999988887777:');
  });

  it('refuses an unknown audience', async () => {
    await expect(
      iamPolicy(commandContext(adminConfig('/x'), testIo('/x')), { for: 'everyone' }),
    ).rejects.toThrow('--for must be one of local, codebuild, consumer, all');
  });
});
