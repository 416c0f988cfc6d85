import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { RegistryStack } from './RegistryStack.ts';

/**
 * `npx nx run registry-stack:synth` (or `node --conditions=@myorg/source src/app.ts`) synthesises
 * the stack into `cdk.out/` offline: no CDK CLI, AWS account or lookup. Settings that change
 * resources come from CDK context (`-c key=value` through the CDK CLI) or the environment; run-time
 * settings are CloudFormation parameters given at deploy.
 */
const app = new App({ outdir: process.env.CDK_OUTDIR ?? resolve(import.meta.dirname, '../cdk.out') });
const setting = (key: string, env: string): string | undefined => {
  const value = (app.node.tryGetContext(key) as unknown) ?? process.env[env];
  return value === undefined || value === '' ? undefined : String(value);
};
const days = (key: string, env: string): number | undefined => {
  const text = setting(key, env);
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text))
    throw new Error(`"${key}" (${env}) must be a whole number of days, not "${text}"`);
  return Number(text);
};

const domainName = setting('domainName', 'REGISTRY_STACK_DOMAIN_NAME');
const certificateArn = setting('certificateArn', 'REGISTRY_STACK_CERTIFICATE_ARN');
if ((domainName === undefined) !== (certificateArn === undefined)) {
  throw new Error(
    'a custom domain needs both "domainName" and "certificateArn" (REGISTRY_STACK_DOMAIN_NAME, REGISTRY_STACK_CERTIFICATE_ARN)',
  );
}

const codeDirectory =
  setting('lambdaBundle', 'REGISTRY_STACK_LAMBDA_BUNDLE') ??
  resolve(import.meta.dirname, '../../registry/dist/lambda');
// A stack without the function's code would deploy a registry that cannot answer.
if (!existsSync(resolve(codeDirectory, 'index.mjs'))) {
  throw new Error(
    `${codeDirectory}/index.mjs does not exist: build the registry's Lambda bundle first (npx nx build registry), or name its folder in "lambdaBundle" (REGISTRY_STACK_LAMBDA_BUNDLE)`,
  );
}

new RegistryStack(app, setting('stackName', 'REGISTRY_STACK_NAME') ?? 'MyorgRegistry', {
  description: 'The @myorg npm registry: Lambda, HTTP API and S3',
  codeDirectory,
  storagePrefix: setting('storagePrefix', 'REGISTRY_STACK_STORAGE_PREFIX'),
  kmsKey: setting('kmsKey', 'REGISTRY_STACK_KMS_KEY') === 'true',
  upstreamCacheDays: days('upstreamCacheDays', 'REGISTRY_STACK_UPSTREAM_CACHE_DAYS'),
  noncurrentVersionDays: days('noncurrentVersionDays', 'REGISTRY_STACK_NONCURRENT_VERSION_DAYS'),
  customDomain: domainName && certificateArn ? { domainName, certificateArn } : undefined,
  secretArn: setting('secretArn', 'REGISTRY_STACK_SECRET_ARN'),
  alarmTopicArn: setting('alarmTopicArn', 'REGISTRY_STACK_ALARM_TOPIC_ARN'),
});
app.synth();
