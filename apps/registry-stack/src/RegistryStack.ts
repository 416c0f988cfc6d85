import { PENDING_TARBALLS_PREFIX, UPSTREAM_PREFIX } from '@myorg/registry';
import {
  CfnOutput,
  CfnParameter,
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { DomainName, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface RegistryStackProps extends StackProps {
  /** The Lambda bundle's directory (`apps/registry/dist/lambda`), exporting `handler` from `index`. */
  codeDirectory: string;
  /** The key prefix the registry stores under (`s3://<bucket>/<prefix>`). Defaults to `registry`. */
  storagePrefix?: string;
  /** Encrypt the bucket with a customer-managed KMS key instead of S3-managed keys (SSE-S3). */
  kmsKey?: boolean;
  /** Days a cached copy of an upstream packument or tarball is kept; it is fetched again after. Defaults to 30. */
  upstreamCacheDays?: number;
  /** Days an overwritten or deleted object version is kept, to undo a mistake. Defaults to 30. */
  noncurrentVersionDays?: number;
  /** Defaults to one month. */
  logRetention?: RetentionDays;
  /** Serve on this domain (a regional ACM certificate of the stack's region); also sets REGISTRY_PUBLIC_URL. */
  customDomain?: { domainName: string; certificateArn: string };
  /** The complete ARN of an existing secret for REGISTRY_SECRETS; otherwise the stack creates an empty one. */
  secretArn?: string;
  /** An SNS topic the alarms notify. */
  alarmTopicArn?: string;
}

/** API Gateway gives up on an integration after 30 s: the function stops first, so its error is logged. */
const FUNCTION_TIMEOUT = Duration.seconds(29);

/**
 * An upstream URL without `user:password@`: credentials belong in the secret, never in a
 * parameter that ends up as a plain environment variable.
 */
export const UPSTREAM_PATTERN = '^(none|https?://[^/@:\\s]+(:[0-9]+)?(/[^@\\s]*)?)$';

/**
 * The registry on Lambda behind an HTTP API, its packages in a private S3 bucket. Settings that
 * change resources are props (chosen at synthesis); run-time settings are CloudFormation
 * parameters, so one synthesised template deploys with different ones.
 */
export class RegistryStack extends Stack {
  readonly bucket: Bucket;
  readonly registry: LambdaFunction;
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: RegistryStackProps) {
    super(scope, id, props);
    const prefix = (props.storagePrefix ?? 'registry').replace(/^\/+|\/+$/g, '');
    // Without a prefix the function's permissions would cover the whole bucket.
    if (prefix === '') throw new Error('storagePrefix must not be empty');

    const upstream = new CfnParameter(this, 'Upstream', {
      description:
        'REGISTRY_UPSTREAM: the registry proxied for packages not published here, or none. Credentials go in the secret.',
      default: 'none',
      allowedPattern: UPSTREAM_PATTERN,
      constraintDescription: 'must be none or an http(s) URL without credentials (put those in the secret)',
    });
    const publicRead = booleanParameter(
      this,
      'PublicRead',
      'REGISTRY_PUBLIC_READ: callers without a token may read',
    );
    const allowRegistration = booleanParameter(
      this,
      'AllowRegistration',
      'REGISTRY_ALLOW_REGISTRATION: `npm adduser` creates accounts',
    );
    // Sign-in and access rules. Their secrets (REGISTRY_GITHUB_CLIENT_SECRET, REGISTRY_GITHUB_TOKEN)
    // and the rule file (REGISTRY_ACCESS_RULES, often beyond the 4 KB Lambda allows for all variables
    // together) go in the secret.
    const auth = new CfnParameter(this, 'Auth', {
      description: 'REGISTRY_AUTH: local users, or GitHub sign-in',
      default: 'local',
      allowedValues: ['local', 'github'],
    });
    const admins = textParameter(
      this,
      'Admins',
      'REGISTRY_ADMINS: user names (GitHub logins) who may change any package, comma-separated',
    );
    const githubOrgs = textParameter(
      this,
      'GitHubOrgs',
      'REGISTRY_GITHUB_ORGS: GitHub organisations whose active members may sign in, comma-separated',
    );
    const githubClientId = textParameter(
      this,
      'GitHubClientId',
      "REGISTRY_GITHUB_CLIENT_ID: the GitHub OAuth app's client id (its secret goes in the secret)",
    );
    const githubUrl = urlParameter(
      this,
      'GitHubUrl',
      'REGISTRY_GITHUB_URL: GitHub or a GitHub Enterprise Server',
      'https://github.com',
    );
    const githubApiUrl = urlParameter(
      this,
      'GitHubApiUrl',
      "REGISTRY_GITHUB_API_URL: GitHub's REST API (https://<ghes>/api/v3 for Enterprise Server)",
      'https://api.github.com',
    );
    const oidcIssuer = urlParameter(
      this,
      'OidcIssuer',
      'REGISTRY_OIDC_ISSUER: whose id-tokens trusted publishing accepts (https://<ghes>/_services/token for Enterprise Server)',
      'https://token.actions.githubusercontent.com',
    );
    const logLevel = new CfnParameter(this, 'LogLevel', {
      description: 'LOG_LEVEL of the registry',
      default: 'info',
      allowedValues: ['debug', 'info', 'warn', 'error', 'silent'],
    });

    const key = props.kmsKey
      ? new Key(this, 'StorageKey', {
          description: 'Encrypts the npm registry bucket',
          enableKeyRotation: true,
        })
      : undefined;
    this.bucket = new Bucket(this, 'Storage', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      // Bucket keys cut the KMS requests (and their cost) per object.
      ...(key === undefined
        ? { encryption: BucketEncryption.S3_MANAGED }
        : { encryption: BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true }),
      lifecycleRules: [
        {
          id: 'ExpireUpstreamCopies',
          prefix: `${prefix}/${UPSTREAM_PREFIX}`,
          expiration: Duration.days(props.upstreamCacheDays ?? 30),
        },
        // The registry removes its temporary uploads itself; this catches those of a function that died first.
        {
          id: 'ExpirePendingUploads',
          prefix: `${prefix}/${PENDING_TARBALLS_PREFIX}`,
          expiration: Duration.days(1),
        },
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 30),
          expiredObjectDeleteMarker: true,
        },
        // A function stopped mid-upload leaves its parts behind, billed until aborted.
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const secret =
      props.secretArn === undefined
        ? new Secret(this, 'Secrets', {
            description:
              'REGISTRY_* settings with credentials (a JSON object), read by the registry at start',
            // An empty object, not a generated password: the operator puts the values in after deploying.
            secretStringValue: SecretValue.unsafePlainText('{}'),
            removalPolicy: RemovalPolicy.RETAIN,
          })
        : Secret.fromSecretCompleteArn(this, 'Secrets', props.secretArn);

    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    // Not the managed basic execution policy, whose log permissions cover every log group.
    const role = new Role(this, 'RegistryRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.registry = new LambdaFunction(this, 'Registry', {
      description: 'The @myorg npm registry',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      code: Code.fromAsset(props.codeDirectory),
      handler: 'index.handler',
      memorySize: 1024,
      timeout: FUNCTION_TIMEOUT,
      logGroup,
      role,
      environment: {
        REGISTRY_STORAGE: `s3://${this.bucket.bucketName}/${prefix}`,
        REGISTRY_UPSTREAM: upstream.valueAsString,
        REGISTRY_PUBLIC_READ: publicRead.valueAsString,
        REGISTRY_ALLOW_REGISTRATION: allowRegistration.valueAsString,
        LOG_LEVEL: logLevel.valueAsString,
        REGISTRY_AUTH: auth.valueAsString,
        REGISTRY_ADMINS: admins.valueAsString,
        REGISTRY_GITHUB_ORGS: githubOrgs.valueAsString,
        REGISTRY_GITHUB_CLIENT_ID: githubClientId.valueAsString,
        REGISTRY_GITHUB_URL: githubUrl.valueAsString,
        REGISTRY_GITHUB_API_URL: githubApiUrl.valueAsString,
        REGISTRY_OIDC_ISSUER: oidcIssuer.valueAsString,
        REGISTRY_SECRETS: secret.secretArn,
        ...(key === undefined ? {} : { REGISTRY_S3_KMS_KEY_ID: key.keyId }),
        ...(props.customDomain === undefined
          ? {}
          : { REGISTRY_PUBLIC_URL: `https://${props.customDomain.domainName}` }),
      },
    });
    this.grantStorage(prefix, key);
    this.registry.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );

    const domainName =
      props.customDomain === undefined
        ? undefined
        : new DomainName(this, 'Domain', {
            domainName: props.customDomain.domainName,
            certificate: Certificate.fromCertificateArn(
              this,
              'Certificate',
              props.customDomain.certificateArn,
            ),
          });
    this.api = new HttpApi(this, 'Api', {
      description: 'The @myorg npm registry',
      // The `$default` route: every method and path goes to the function, which does its own routing.
      defaultIntegration: new HttpLambdaIntegration('Registry', this.registry),
      ...(domainName === undefined ? {} : { defaultDomainMapping: { domainName } }),
    });

    // On a schedule the function retries the webhook deliveries that frozen containers left pending,
    // even while no request comes (the handler tells the schedule's event from a request).
    new Rule(this, 'DrainWebhooks', {
      description: "Retries the registry's pending webhook deliveries",
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaTarget(this.registry)],
    });

    const topic =
      props.alarmTopicArn === undefined
        ? undefined
        : Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
    const alarm = (id: string, description: string, metric: Metric) => {
      const created = new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (topic !== undefined) created.addAlarmAction(new SnsAction(topic));
    };
    const period = Duration.minutes(5);
    alarm(
      'FunctionErrors',
      'The registry function failed (an uncaught error or a timeout)',
      this.registry.metricErrors({ period }),
    );
    alarm(
      'FunctionThrottles',
      'The registry function was throttled (concurrency limit)',
      this.registry.metricThrottles({ period }),
    );
    alarm('Api5xx', 'The registry answered 5xx', this.api.metricServerError({ period }));

    new CfnOutput(this, 'Url', {
      value:
        props.customDomain === undefined ? this.api.apiEndpoint : `https://${props.customDomain.domainName}`,
      description: 'The registry URL for npm (`npm login --registry <url>`)',
    });
    if (domainName !== undefined) {
      new CfnOutput(this, 'DomainTarget', {
        value: domainName.regionalDomainName,
        description: 'Point a CNAME (or alias) record of the custom domain here',
      });
    }
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'SecretArn', {
      value: secret.secretArn,
      description: 'Put a JSON object of REGISTRY_* settings with credentials here',
    });
  }

  /** Objects under the prefix only, and the KMS actions S3 needs to encrypt and decrypt them. */
  private grantStorage(prefix: string, key: Key | undefined): void {
    this.registry.addToRolePolicy(
      new PolicyStatement({
        // PutObject covers multipart uploads; an upload that fails part-way is aborted.
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects(`${prefix}/*`)],
      }),
    );
    // Listing the bucket is what makes S3 answer a missing key with 404 rather than 403, and the
    // registry reads "not found" from that 404. A `s3:prefix` condition cannot be met there (a
    // GetObject request has no prefix), so the listing is of the whole bucket, which is this
    // registry's alone.
    this.registry.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    if (key === undefined) return;
    this.registry.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    );
  }
}

/** Free text; empty (the default) leaves the registry's own default. */
function textParameter(stack: Stack, id: string, description: string): CfnParameter {
  return new CfnParameter(stack, id, { description, default: '', allowedPattern: '^[\\w.,/ -]*$' });
}

function urlParameter(stack: Stack, id: string, description: string, defaultValue: string): CfnParameter {
  return new CfnParameter(stack, id, {
    description,
    default: defaultValue,
    allowedPattern: '^https?://[^@\\s]+$',
    constraintDescription: 'must be an http(s) URL without credentials',
  });
}

function booleanParameter(stack: Stack, id: string, description: string): CfnParameter {
  // A private registry is closed by default, as the registry itself is.
  return new CfnParameter(stack, id, { description, default: 'false', allowedValues: ['false', 'true'] });
}
