import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ApiGatewayHttpEvent } from '@myorg/middleware';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type S3Fixture, startS3rver } from '../../../../libs/storage/tests/support/s3rver.ts';
import { startLambda } from '../../src/lambda/startLambda.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf';
let s3: S3Fixture;

beforeAll(async () => {
  s3 = await startS3rver();
  for (const [name, value] of Object.entries(s3.env())) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await s3?.stop();
});

/** An API Gateway HTTP API event (payload format 2.0) for a request on the `prod` stage. */
function event(method: string, path: string, body?: unknown): ApiGatewayHttpEvent {
  return {
    version: '2.0',
    rawPath: `/prod${path}`,
    rawQueryString: '',
    headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      requestId: 'req-1',
      stage: 'prod',
      http: { method, path: `/prod${path}`, sourceIp: '192.0.2.1' },
    },
  };
}

describe('startLambda', () => {
  it('reads the secret named by REGISTRY_SECRETS into the one configuration, and serves on the stage', async () => {
    const secrets = mockClient(SecretsManagerClient);
    const bucket = await s3.createBucket();
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({
      SecretString: JSON.stringify({
        REGISTRY_PUBLIC_READ: 'true',
        REGISTRY_S3_KMS_KEY_ID: 'alias/registry',
      }),
    });
    const { config, handler } = await startLambda(
      {
        REGISTRY_STORAGE: `s3://${bucket}/registry`,
        REGISTRY_SECRETS: ARN,
        LOG_LEVEL: 'silent',
        AWS_LAMBDA_LOG_STREAM_NAME: '2026/12/07/[$LATEST]0123abcd',
      },
      { secrets: new SecretsManagerClient({ region: 'us-east-1' }) },
    );
    expect(config).toMatchObject({ publicRead: true, s3KmsKeyId: 'alias/registry' });

    expect((await handler(event('GET', '/-/ping'))).statusCode).toBe(200);
    const missing = await handler(event('GET', '/nothing-here'));
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-request-id']).toBe('req-1');
    // Each container counts on its own: its metrics name it.
    const metrics = await handler(event('GET', '/-/metrics'));
    expect(metrics.body).toContain('registry_publishes_total{instance="2026/12/07/[$LATEST]0123abcd"} 0');
    // The KMS key of the secret encrypts what the registry writes (the conditional-write probe at start).
    expect(
      s3.writes.filter((write) => write.key.startsWith(`/${bucket}/`)).map((write) => write.kmsKeyId),
    ).toContain('alias/registry');
    secrets.restore();
  });

  it('refuses to start without REGISTRY_STORAGE: Lambda has no workspace to keep data in', async () => {
    await expect(startLambda({ LOG_LEVEL: 'silent' })).rejects.toThrow(/REGISTRY_STORAGE/);
  });
});
