import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RegistryStack, type RegistryStackProps, UPSTREAM_PATTERN } from '../src/RegistryStack.ts';

// The function's code only has to exist for synthesis (any folder): the tests look at the template alone.
const codeDirectory = import.meta.dirname;
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-AbCdEf';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111111111111:registry-alarms';

function synth(props: Partial<RegistryStackProps> = {}): Template {
  return Template.fromStack(new RegistryStack(new App(), 'Registry', { codeDirectory, ...props }));
}

function only<T = Record<string, unknown>>(template: Template, type: string): T {
  const resources = Object.values(template.findResources(type));
  expect(resources).toHaveLength(1);
  return (resources[0] as { Properties: T }).Properties;
}

// Vitest's matchers for `expect`, `Match` for the template's own assertions.
const ref = (logicalIdPrefix: string) => ({ Ref: expect.stringMatching(`^${logicalIdPrefix}`) });
const arnOf = (logicalIdPrefix: string) => ({
  'Fn::GetAtt': [expect.stringMatching(`^${logicalIdPrefix}`), 'Arn'],
});
const bucketArn = arnOf('Storage');

// Synthesis is slow: one template with the defaults, one with every option.
let defaults: Template;
let options: Template;
beforeAll(() => {
  defaults = synth();
  options = synth({
    storagePrefix: '/npm/',
    kmsKey: true,
    upstreamCacheDays: 7,
    noncurrentVersionDays: 90,
    customDomain: { domainName: 'npm.example.com', certificateArn: CERTIFICATE_ARN },
    secretArn: SECRET_ARN,
    alarmTopicArn: TOPIC_ARN,
  });
});

describe('the bucket', () => {
  it('blocks all public access and keeps every version', () => {
    const bucket = only(defaults, 'AWS::S3::Bucket');

    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    defaults.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('is encrypted with S3-managed keys by default', () => {
    expect(only(defaults, 'AWS::S3::Bucket').BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    defaults.resourceCountIs('AWS::KMS::Key', 0);
  });

  it('is encrypted with a rotated KMS key of its own as an option', () => {
    options.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(only(options, 'AWS::S3::Bucket').BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: arnOf('StorageKey'),
          },
        },
      ],
    });
  });

  it('refuses requests without TLS 1.2 or later', () => {
    const policy = only<{ PolicyDocument: { Statement: unknown[] } }>(defaults, 'AWS::S3::BucketPolicy');
    const everyObject = { 'Fn::Join': ['', [bucketArn, '/*']] };

    expect(policy.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [bucketArn, everyObject],
      },
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        Resource: [bucketArn, everyObject],
      },
    ]);
  });

  it('expires cached upstream copies, stale uploads and old versions, and aborts abandoned multipart uploads', () => {
    const rules = (template: Template) =>
      (only(template, 'AWS::S3::Bucket').LifecycleConfiguration as { Rules: unknown[] }).Rules;

    // The prefixes are the registry's storage layout under the storage prefix.
    expect(rules(defaults)).toEqual([
      { Id: 'ExpireUpstreamCopies', Prefix: 'registry/upstream/', ExpirationInDays: 30, Status: 'Enabled' },
      { Id: 'ExpirePendingUploads', Prefix: 'registry/pending/', ExpirationInDays: 1, Status: 'Enabled' },
      {
        Id: 'ExpireNoncurrentVersions',
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        ExpiredObjectDeleteMarker: true,
        Status: 'Enabled',
      },
      {
        Id: 'AbortIncompleteMultipartUploads',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: 'Enabled',
      },
    ]);
    expect(rules(options)).toEqual([
      expect.objectContaining({ Prefix: 'npm/upstream/', ExpirationInDays: 7 }),
      expect.objectContaining({ Prefix: 'npm/pending/', ExpirationInDays: 1 }),
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    ]);
  });
});

describe('the function', () => {
  it('runs Node.js 24 on arm64 and stops before the HTTP API gives up (30 s)', () => {
    const fn = only(defaults, 'AWS::Lambda::Function');

    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
    expect(fn.Timeout).toBeLessThan(30);
    expect(fn.MemorySize).toBeGreaterThanOrEqual(512);
  });

  it('is invoked every minute by a schedule that drains pending webhook deliveries', () => {
    const rule = only<{ ScheduleExpression: string; State: string; Targets: { Arn: unknown }[] }>(
      defaults,
      'AWS::Events::Rule',
    );

    expect(rule).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    expect(rule.Targets).toEqual([expect.objectContaining({ Arn: arnOf('Registry') })]);
    defaults.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::GetAtt': Match.arrayWith(['Arn']) }),
    });
  });

  it('gets its settings from parameters and a secret ARN, never a secret value', () => {
    const variables = (template: Template) =>
      (only(template, 'AWS::Lambda::Function').Environment as { Variables: Record<string, unknown> })
        .Variables;

    // Every value is a reference (to a parameter, the bucket, the secret or the key), or the public URL.
    const parameters = {
      REGISTRY_UPSTREAM: { Ref: 'Upstream' },
      REGISTRY_PUBLIC_READ: { Ref: 'PublicRead' },
      REGISTRY_ALLOW_REGISTRATION: { Ref: 'AllowRegistration' },
      LOG_LEVEL: { Ref: 'LogLevel' },
      REGISTRY_AUTH: { Ref: 'Auth' },
      REGISTRY_ADMINS: { Ref: 'Admins' },
      REGISTRY_GITHUB_ORGS: { Ref: 'GitHubOrgs' },
      REGISTRY_GITHUB_CLIENT_ID: { Ref: 'GitHubClientId' },
      REGISTRY_GITHUB_URL: { Ref: 'GitHubUrl' },
      REGISTRY_GITHUB_API_URL: { Ref: 'GitHubApiUrl' },
      REGISTRY_OIDC_ISSUER: { Ref: 'OidcIssuer' },
    };

    expect(variables(defaults)).toEqual({
      ...parameters,
      REGISTRY_STORAGE: { 'Fn::Join': ['', ['s3://', ref('Storage'), '/registry']] },
      REGISTRY_SECRETS: ref('Secrets'),
    });
    expect(variables(options)).toEqual({
      ...parameters,
      REGISTRY_STORAGE: { 'Fn::Join': ['', ['s3://', ref('Storage'), '/npm']] },
      REGISTRY_SECRETS: SECRET_ARN,
      REGISTRY_S3_KMS_KEY_ID: ref('StorageKey'),
      REGISTRY_PUBLIC_URL: 'https://npm.example.com',
    });
  });

  it('creates an empty secret unless given one', () => {
    defaults.hasResourceProperties('AWS::SecretsManager::Secret', { SecretString: '{}' });
    options.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('is closed by default: no public reads, no registration, no upstream', () => {
    defaults.hasParameter('PublicRead', { Default: 'false', AllowedValues: ['false', 'true'] });
    defaults.hasParameter('AllowRegistration', { Default: 'false', AllowedValues: ['false', 'true'] });
    defaults.hasParameter('Upstream', { Default: 'none', AllowedPattern: UPSTREAM_PATTERN });
  });

  it('signs in with local users by default, GitHub as an option, its secrets kept out of parameters', () => {
    defaults.hasParameter('Auth', { Default: 'local', AllowedValues: ['local', 'github'] });
    for (const id of ['Admins', 'GitHubOrgs', 'GitHubClientId']) defaults.hasParameter(id, { Default: '' });
    const parameters = Object.keys(defaults.toJSON().Parameters as Record<string, unknown>);
    expect(parameters.filter((id) => /secret|token|rules/i.test(id))).toEqual([]);
    const { GitHubUrl } = defaults.toJSON().Parameters as { GitHubUrl: { AllowedPattern: string } };
    const urls = new RegExp(GitHubUrl.AllowedPattern);
    expect('https://ghe.example.com').toMatch(urls);
    expect('https://user:pass@ghe.example.com').not.toMatch(urls);
  });

  it('takes an upstream URL without credentials, which belong in the secret', () => {
    const pattern = new RegExp(UPSTREAM_PATTERN);

    for (const allowed of [
      'none',
      'https://npm.example.com',
      'https://npm.example.com/',
      'http://127.0.0.1:4873/a/b',
    ]) {
      expect(allowed).toMatch(pattern);
    }
    for (const refused of [
      'https://user:secret@npm.example.com/',
      'https://token@npm.example.com',
      'ftp://x',
      '',
    ]) {
      expect(refused).not.toMatch(pattern);
    }
  });

  it('logs to a log group with a retention', () => {
    defaults.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(only(defaults, 'AWS::Lambda::Function').LoggingConfig).toEqual({ LogGroup: ref('Logs') });
  });
});

describe('the function role', () => {
  type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
  const statements = (template: Template) =>
    only<{ PolicyDocument: { Statement: Statement[] } }>(template, 'AWS::IAM::Policy').PolicyDocument
      .Statement;

  it('may write its logs, use objects under the storage prefix, list its bucket and read its one secret: nothing else', () => {
    expect(only(defaults, 'AWS::IAM::Role').ManagedPolicyArns).toBeUndefined();
    expect(statements(defaults)).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arnOf('Logs'),
      },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        Resource: { 'Fn::Join': ['', [bucketArn, '/registry/*']] },
      },
      // Unconditioned, so a missing key reads as 404 (see grantStorage).
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: ref('Secrets') },
    ]);
  });

  it('may only generate data keys and decrypt with the KMS key, through S3', () => {
    expect(statements(options)).toEqual(
      expect.arrayContaining([
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
          Resource: { 'Fn::Join': ['', [bucketArn, '/npm/*']] },
        },
        {
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: arnOf('StorageKey'),
          Condition: {
            StringEquals: {
              'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
            },
          },
        },
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
      ]),
    );
    expect(statements(options)).toHaveLength(5);
  });

  it('names no wildcard resource', () => {
    for (const template of [defaults, options]) {
      for (const statement of statements(template)) expect(statement.Resource).not.toBe('*');
    }
  });

  it('refuses an empty storage prefix, which would open the whole bucket', () => {
    expect(() => synth({ storagePrefix: '/' })).toThrow('storagePrefix must not be empty');
  });
});

describe('the HTTP API', () => {
  it('sends every route to the function with payload format 2.0', () => {
    defaults.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    defaults.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Registry'), 'Arn'] },
    });
    defaults.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    defaults.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    defaults.hasOutput('Url', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Api'), 'ApiEndpoint'] } });
  });

  it('serves on a custom domain as an option', () => {
    options.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'npm.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: CERTIFICATE_ARN })],
    });
    options.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { Ref: Match.stringLikeRegexp('^Api') },
      DomainName: { Ref: Match.stringLikeRegexp('^Domain') },
    });
    options.hasOutput('Url', { Value: 'https://npm.example.com' });
    options.hasOutput('DomainTarget', {});
  });
});

describe('the alarms', () => {
  const alarms = (template: Template) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      ({ Properties }) => Properties as Record<string, unknown>,
    );

  it('fire on function errors, throttles and 5xx answers', () => {
    expect(alarms(defaults).map(({ Namespace, MetricName }) => `${Namespace} ${MetricName}`)).toEqual([
      'AWS/Lambda Errors',
      'AWS/Lambda Throttles',
      'AWS/ApiGateway 5xx',
    ]);
    for (const alarm of alarms(defaults)) {
      expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      expect(alarm.AlarmActions).toBeUndefined();
    }
  });

  it('notify a topic as an option', () => {
    for (const alarm of alarms(options)) expect(alarm.AlarmActions).toEqual([TOPIC_ARN]);
  });
});
