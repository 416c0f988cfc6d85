import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ValidationError } from '@myorg/validation';

type Environment = Readonly<Record<string, string | undefined>>;

const variableName = /^REGISTRY_[A-Z0-9_]+$/;

/**
 * The environment with the registry's secrets merged in: when `REGISTRY_SECRETS` names a Secrets
 * Manager secret (its ARN), its SecretString must be a JSON object of `REGISTRY_*` variables with
 * string values, and these win over the plain environment. Errors name the secret and the
 * offending keys, never a value.
 */
export async function secretEnvironment(
  env: Environment,
  client: SecretsManagerClient,
): Promise<Environment> {
  const secretId = env.REGISTRY_SECRETS?.trim();
  if (secretId === undefined || secretId === '') return env;
  const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const invalid = (why: string) =>
    new ValidationError([`the secret ${secretId} ${why}`], { subject: 'invalid REGISTRY_SECRETS' });
  if (output.SecretString === undefined) throw invalid('has no SecretString (a JSON object is expected)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.SecretString);
  } catch {
    throw invalid('is not JSON (a JSON object of REGISTRY_* variables is expected)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('is not a JSON object of REGISTRY_* variables');
  }
  const entries = Object.entries(parsed);
  const bad = entries
    .filter(([key, value]) => !variableName.test(key) || typeof value !== 'string')
    .map(([key]) => key);
  if (bad.length > 0) {
    throw invalid(`holds keys that are not REGISTRY_* variables with string values: ${bad.join(', ')}`);
  }
  return { ...env, ...(Object.fromEntries(entries) as Record<string, string>) };
}
