import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnDomain, CfnRepository } from 'aws-cdk-lib/aws-codeartifact';
import {
  CfnOIDCProvider,
  PolicyDocument,
  PolicyStatement,
  Role,
  WebIdentityPrincipal,
} from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** GitHub Actions' OIDC issuer and the audience `aws-actions/configure-aws-credentials` asks for. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

export interface CodeArtifactStackProps extends StackProps {
  domainName: string;
  /** The repository the scope's packages are published to. */
  repositoryName: string;
  /** Holds the external connection and is the upstream of `repositoryName` (AWS's recommended topology). */
  upstreamRepositoryName?: string;
  /** Defaults to `public:npmjs`. */
  externalConnection?: string;
  /** The npm scope published, `@myorg`: the publish role may only publish packages of it. */
  scope: string;
  /** `owner/name` of the only GitHub repository whose workflows may assume the publish role. */
  githubRepository: string;
  /** The only branch whose workflows may assume it. Defaults to `main`. */
  branch?: string;
  /**
   * An account holds one OIDC provider per issuer: pass its ARN when it exists already,
   * otherwise the stack creates it.
   */
  existingOidcProviderArn?: string;
}

/**
 * The CodeArtifact domain and repositories, the GitHub OIDC provider, and a role that GitHub
 * Actions on one repository and branch can assume to publish the scope's packages, and nothing else.
 */
export class CodeArtifactStack extends Stack {
  readonly publishRole: Role;

  constructor(scope: Construct, id: string, props: CodeArtifactStackProps) {
    super(scope, id, props);
    const { domainName, repositoryName, upstreamRepositoryName } = props;
    const branch = props.branch ?? 'main';
    const namespace = props.scope.replace(/^@/, '');

    const domain = new CfnDomain(this, 'Domain', { domainName });
    const upstream =
      upstreamRepositoryName === undefined
        ? undefined
        : new CfnRepository(this, 'UpstreamRepository', {
            domainName: domain.attrName,
            repositoryName: upstreamRepositoryName,
            description: `Proxy of ${props.externalConnection ?? 'public:npmjs'}`,
            externalConnections: [props.externalConnection ?? 'public:npmjs'],
          });
    const repository = new CfnRepository(this, 'Repository', {
      domainName: domain.attrName,
      repositoryName,
      description: `${props.scope} packages`,
      ...(upstream === undefined
        ? { externalConnections: [props.externalConnection ?? 'public:npmjs'] }
        : { upstreams: [upstream.attrName] }),
    });

    const providerArn =
      props.existingOidcProviderArn ??
      new CfnOIDCProvider(this, 'GitHubOidcProvider', {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
      }).attrArn;

    const packageArn = Stack.of(this).formatArn({
      service: 'codeartifact',
      resource: 'package',
      resourceName: `${domainName}/${repositoryName}/npm/${namespace}/*`,
    });
    this.publishRole = new Role(this, 'PublishRole', {
      description: `GitHub Actions on ${props.githubRepository}@${branch}: publish ${props.scope} packages to CodeArtifact`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new WebIdentityPrincipal(providerArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:${props.githubRepository}:ref:refs/heads/${branch}`,
        },
      }),
      inlinePolicies: {
        PublishScopePackages: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ['codeartifact:GetAuthorizationToken'],
              resources: [domain.attrArn],
            }),
            new PolicyStatement({
              actions: ['sts:GetServiceBearerToken'],
              resources: ['*'],
              conditions: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
            }),
            new PolicyStatement({
              actions: ['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'],
              resources: [repository.attrArn],
            }),
            new PolicyStatement({
              actions: [
                'codeartifact:DescribePackageVersion',
                'codeartifact:ListPackageVersions',
                'codeartifact:PublishPackageVersion',
              ],
              resources: [packageArn],
            }),
          ],
        }),
      },
    });

    new CfnOutput(this, 'PublishRoleArn', {
      value: this.publishRole.roleArn,
      description: 'role-to-assume for configure-aws-credentials',
    });
    new CfnOutput(this, 'DomainName', { value: domain.attrName });
    new CfnOutput(this, 'RepositoryName', { value: repository.attrName });
  }
}
