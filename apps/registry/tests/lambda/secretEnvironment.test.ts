import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { secretEnvironment } from '../../src/lambda/secretEnvironment.ts';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-AbCdEf';
const secrets = mockClient(SecretsManagerClient);
const client = new SecretsManagerClient({ region: 'eu-west-1' });

afterEach(() => secrets.reset());

describe('secretEnvironment', () => {
  it('leaves the environment as it is without REGISTRY_SECRETS, asking nothing', async () => {
    const env = { REGISTRY_STORAGE: 's3://bucket' };
    expect(await secretEnvironment(env, client)).toBe(env);
    expect(secrets.calls()).toHaveLength(0);
  });

  it('merges the REGISTRY_* variables of the secret over the environment', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: ARN })
      .resolves({ SecretString: JSON.stringify({ REGISTRY_UPSTREAM: 'https://user:pw@upstream.example/' }) });
    const env = await secretEnvironment(
      { REGISTRY_SECRETS: ARN, REGISTRY_STORAGE: 's3://bucket', REGISTRY_UPSTREAM: 'none' },
      client,
    );
    expect(env).toEqual({
      REGISTRY_SECRETS: ARN,
      REGISTRY_STORAGE: 's3://bucket',
      REGISTRY_UPSTREAM: 'https://user:pw@upstream.example/',
    });
  });

  it.each([
    ['not JSON', { SecretString: 'pw=hunter2' }, 'is not JSON'],
    ['an array', { SecretString: '["REGISTRY_X"]' }, 'is not a JSON object'],
    ['without SecretString', { SecretBinary: new Uint8Array([1]) }, 'has no SecretString'],
    ['other variables', { SecretString: '{"PATH":"/evil","REGISTRY_X":1}' }, 'PATH, REGISTRY_X'],
  ])('refuses a secret that is %s, naming the secret but no value', async (_what, output, message) => {
    secrets.on(GetSecretValueCommand).resolves(output);
    const attempt = secretEnvironment({ REGISTRY_SECRETS: ARN }, client);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toThrow(ARN);
    await expect(attempt).rejects.not.toThrow(/hunter2|\/evil/);
  });
});
