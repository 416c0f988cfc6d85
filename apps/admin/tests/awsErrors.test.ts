import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AppError } from '@myorg/error';
import { afterEach, describe, expect, it } from 'vitest';
import {
  awsFailure,
  isAccessDenied,
  isConflict,
  isNotFound,
  isThrottling,
  troubleOf,
} from '../src/aws/awsErrors.ts';
import { callerIdentity, isRootUser, resolveAccount } from '../src/aws/callerIdentity.ts';
import { createAwsClients } from '../src/aws/createAwsClients.ts';
import { troubles } from '../src/doctor/troubleshooting.ts';
import { mockSdkClient } from './support/sdkMock.ts';

const named = (name: string, message = name) => Object.assign(new Error(message), { name });

describe('AWS error classification', () => {
  it('recognises the same failure across the REST, JSON and Query protocols', () => {
    expect(isNotFound(named('ResourceNotFoundException'))).toBe(true);
    expect(isNotFound(named('NoSuchEntityException'))).toBe(true);
    expect(isConflict(named('EntityAlreadyExistsException'))).toBe(true);
    expect(isConflict(named('ResourceAlreadyExistsException'))).toBe(true);
    expect(isAccessDenied(named('AccessDenied'))).toBe(true);
    expect(isThrottling(named('Throttling'))).toBe(true);
    expect(isNotFound('not an error')).toBe(false);
  });

  it('keeps the classification after wrapping', () => {
    const wrapped = awsFailure(named('ConflictException'), 'CreateDomain');
    expect(isConflict(wrapped)).toBe(true);
    expect(wrapped.code).toBe('EAWS_CONFLICT');
    expect(wrapped.cause).toBeInstanceOf(Error);
  });

  it('attaches the fix of each known trouble', () => {
    expect(troubleOf(named('CredentialsProviderError'), 'X')).toBe('noCredentials');
    expect(troubleOf(named('ExpiredTokenException'), 'X')).toBe('badCredentials');
    expect(troubleOf(named('OAuthProviderException'), 'CreateWebhook')).toBe('codebuildGithub');
    expect(troubleOf(named('InternalServerException'), 'X')).toBeUndefined();
    expect(awsFailure(named('InternalServerException', 'boom'), 'X').details).toEqual({
      awsError: 'InternalServerException',
    });
    expect(awsFailure('text', 'X').message).toBe('X failed: Error: text');
  });

  it('lets errors that are already explained through', () => {
    const explained = new AppError('already explained');
    expect(awsFailure(explained, 'X')).toBe(explained);
  });
});

describe('caller identity', () => {
  const sts = mockSdkClient(STSClient);
  const client = createAwsClients({
    region: 'us-east-1',
    maxAttempts: 1,
    profile: 'dev',
    endpoint: 'http://127.0.0.1:1',
  }).sts;
  afterEach(() => sts.reset());

  it('uses the configured account without asking STS', async () => {
    expect(await resolveAccount(client, '111122223333')).toBe('111122223333');
    expect(sts.calls()).toHaveLength(0);
  });

  it('takes the account from GetCallerIdentity when the config has none', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '444455556666', Arn: 'arn:aws:iam::444455556666:user/a' });
    expect(await resolveAccount(client, undefined)).toBe('444455556666');
  });

  it('explains missing credentials', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(named('CredentialsProviderError', 'Could not load credentials from any providers'));

    const error = (await callerIdentity(client).catch((caught: unknown) => caught)) as AppError;

    expect(error.message).toContain('GetCallerIdentity failed: CredentialsProviderError');
    expect(error.details?.fix).toBe(troubles.noCredentials.fix);
  });

  it('refuses an answer without an account', async () => {
    sts.on(GetCallerIdentityCommand).resolves({});
    await expect(callerIdentity(client)).rejects.toThrow('no account');
  });

  it('knows the root user by its ARN', () => {
    expect(isRootUser('arn:aws:iam::111122223333:root')).toBe(true);
    expect(isRootUser('arn:aws:iam::111122223333:user/root')).toBe(false);
  });
});
