import type { AdminConfig } from '../config/adminConfig.ts';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export type PolicyName = 'local' | 'codebuild' | 'consumer';

type PolicyConfig = Pick<
  AdminConfig,
  'region' | 'domain' | 'repository' | 'upstreamRepository' | 'externalConnection' | 'scope' | 'codebuild'
>;

/** The ARNs the policies name, from the IAM service authorization reference's resource types. */
export function codeartifactArns(config: PolicyConfig, account: string) {
  const base = `arn:aws:codeartifact:${config.region}:${account}`;
  const repository = (name: string) => `${base}:repository/${config.domain}/${name}`;
  // npm scopes are CodeArtifact namespaces without the "@".
  const namespace = config.scope.slice(1);
  return {
    domain: `${base}:domain/${config.domain}`,
    repository: repository(config.repository),
    upstream: config.upstreamRepository === undefined ? undefined : repository(config.upstreamRepository),
    scopePackages: `${base}:package/${config.domain}/${config.repository}/npm/${namespace}/*`,
  };
}

/** sts:GetServiceBearerToken, limited to CodeArtifact: GetAuthorizationToken needs it too. */
function bearerToken(): PolicyStatement {
  return {
    Sid: 'CodeArtifactBearerToken',
    Effect: 'Allow',
    Action: ['sts:GetServiceBearerToken'],
    Resource: '*',
    Condition: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
  };
}

function readStatements(config: PolicyConfig, account: string): PolicyStatement[] {
  const arns = codeartifactArns(config, account);
  return [
    { Sid: 'Token', Effect: 'Allow', Action: ['codeartifact:GetAuthorizationToken'], Resource: arns.domain },
    {
      Sid: 'ReadRepository',
      Effect: 'Allow',
      Action: ['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'],
      Resource: arns.repository,
    },
    bearerToken(),
  ];
}

function publishStatement(config: PolicyConfig, account: string): PolicyStatement {
  return {
    Sid: 'PublishScopePackages',
    Effect: 'Allow',
    Action: [
      'codeartifact:DescribePackageVersion',
      'codeartifact:ListPackageVersions',
      'codeartifact:PublishPackageVersion',
    ],
    Resource: codeartifactArns(config, account).scopePackages,
  };
}

function codebuildRoleArn(config: PolicyConfig, account: string): string | undefined {
  const codebuild = config.codebuild;
  if (codebuild === undefined) return undefined;
  return `arn:aws:iam::${account}:role/${codebuild.roleName ?? `${codebuild.projectName}-service-role`}`;
}

/** What `setup` and `setup-codebuild` do, and nothing more. */
function localPolicy(config: PolicyConfig, account: string): PolicyDocument {
  const arns = codeartifactArns(config, account);
  const repositories = arns.upstream === undefined ? [arns.repository] : [arns.repository, arns.upstream];
  const statements: PolicyStatement[] = [
    {
      Sid: 'Domain',
      Effect: 'Allow',
      Action: ['codeartifact:CreateDomain', 'codeartifact:DescribeDomain'],
      Resource: arns.domain,
    },
    {
      Sid: 'Repositories',
      Effect: 'Allow',
      Action: [
        'codeartifact:CreateRepository',
        'codeartifact:DescribeRepository',
        'codeartifact:UpdateRepository',
        ...(config.externalConnection === undefined ? [] : ['codeartifact:AssociateExternalConnection']),
      ],
      Resource: repositories,
    },
    ...(arns.upstream === undefined
      ? []
      : [
          {
            Sid: 'UseUpstream',
            Effect: 'Allow' as const,
            Action: ['codeartifact:AssociateWithDownstreamRepository'],
            Resource: arns.upstream,
          },
        ]),
    ...readStatements(config, account),
    publishStatement(config, account),
  ];
  const codebuild = config.codebuild;
  const roleArn = codebuildRoleArn(config, account);
  if (codebuild !== undefined && roleArn !== undefined) {
    statements.push(
      {
        Sid: 'CodeBuildProject',
        Effect: 'Allow',
        Action: [
          'codebuild:BatchGetProjects',
          'codebuild:CreateProject',
          'codebuild:UpdateProject',
          'codebuild:DeleteProject',
          'codebuild:CreateWebhook',
          'codebuild:UpdateWebhook',
          'codebuild:DeleteWebhook',
        ],
        Resource: `arn:aws:codebuild:${config.region}:${account}:project/${codebuild.projectName}`,
      },
      {
        Sid: 'CodeBuildGitHubCredentials',
        Effect: 'Allow',
        Action: ['codebuild:ListSourceCredentials', 'codebuild:ImportSourceCredentials'],
        Resource: '*',
      },
      {
        Sid: 'CodeBuildServiceRole',
        Effect: 'Allow',
        Action: [
          'iam:GetRole',
          'iam:CreateRole',
          'iam:UpdateAssumeRolePolicy',
          'iam:GetRolePolicy',
          'iam:PutRolePolicy',
          'iam:DeleteRolePolicy',
          'iam:DeleteRole',
        ],
        Resource: roleArn,
      },
      {
        Sid: 'PassServiceRoleToCodeBuild',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: roleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'codebuild.amazonaws.com' } },
      },
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** The CodeBuild service role's permissions: publish the scope's packages, write its logs and reports. */
function codebuildPolicy(config: PolicyConfig, account: string): PolicyDocument {
  const project = config.codebuild?.projectName ?? '<projectName>';
  const logGroup = `arn:aws:logs:${config.region}:${account}:log-group:/aws/codebuild/${project}`;
  return {
    Version: '2012-10-17',
    Statement: [
      ...readStatements(config, account),
      publishStatement(config, account),
      {
        Sid: 'BuildLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [logGroup, `${logGroup}:*`],
      },
      {
        Sid: 'TestReports',
        Effect: 'Allow',
        Action: [
          'codebuild:CreateReportGroup',
          'codebuild:CreateReport',
          'codebuild:UpdateReport',
          'codebuild:BatchPutTestCases',
        ],
        Resource: `arn:aws:codebuild:${config.region}:${account}:report-group/${project}-*`,
      },
    ],
  };
}

/** Developers and apps that only install the scope's packages. */
function consumerPolicy(config: PolicyConfig, account: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: readStatements(config, account) };
}

export function buildPolicy(name: PolicyName, config: PolicyConfig, account: string): PolicyDocument {
  if (name === 'codebuild') return codebuildPolicy(config, account);
  if (name === 'consumer') return consumerPolicy(config, account);
  return localPolicy(config, account);
}

export interface TrustPolicyDocument {
  Version: '2012-10-17';
  Statement: (Omit<PolicyStatement, 'Action' | 'Resource'> & {
    Principal: { Service: string };
    Action: string;
  })[];
}

/** Lets CodeBuild, and only on behalf of this account, assume the service role. */
export function codebuildTrustPolicy(account: string): TrustPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CodeBuildAssumesRole',
        Effect: 'Allow',
        Principal: { Service: 'codebuild.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ],
  };
}
