import {
  AssociateExternalConnectionCommand,
  CodeartifactClient,
  CreateDomainCommand,
  CreateRepositoryCommand,
  DescribeDomainCommand,
  DescribeRepositoryCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
  UpdateRepositoryCommand,
} from '@aws-sdk/client-codeartifact';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../src/aws/awsErrors.ts';
import { ensureDomain } from '../src/codeartifact/ensureDomain.ts';
import { ensureExternalConnection } from '../src/codeartifact/ensureExternalConnection.ts';
import { ensureRepository } from '../src/codeartifact/ensureRepository.ts';
import { getAuthorizationToken, getRepositoryEndpoint } from '../src/codeartifact/repositoryAccess.ts';
import { troubles } from '../src/doctor/troubleshooting.ts';
import { conflict, denied, notFound, throttled } from './support/sdkErrors.ts';
import { mockSdkClient } from './support/sdkMock.ts';

const codeartifact = mockSdkClient(CodeartifactClient);
const client = new CodeartifactClient({ region: 'us-east-1', maxAttempts: 1 });
const ref = { domain: 'myorg', owner: '111122223333' };
/** `ref` as the SDK commands spell it. */
const onDomain = { domain: 'myorg', domainOwner: '111122223333' };

/** The input of the first `command` the mocked client was sent; fails when it was never sent. */
function firstInput(command: Parameters<typeof codeartifact.commandCalls>[0]): unknown {
  const call = codeartifact.commandCalls(command)[0];
  if (call === undefined) throw new Error(`${command.name} was never sent`);
  return call.args[0].input;
}

afterEach(() => {
  codeartifact.reset();
});

describe('ensureDomain', () => {
  it('leaves an existing domain alone', async () => {
    // Prepare
    codeartifact.on(DescribeDomainCommand).resolves({ domain: { name: 'myorg' } });

    // Act
    const outcome = await ensureDomain(client, { ...ref, dryRun: false });

    // Assess
    expect(outcome.status).toBe('unchanged');
    expect(firstInput(DescribeDomainCommand)).toEqual(onDomain);
    expect(codeartifact.commandCalls(CreateDomainCommand)).toHaveLength(0);
  });

  it('creates the domain when DescribeDomain answers ResourceNotFound', async () => {
    codeartifact.on(DescribeDomainCommand).rejects(notFound());
    codeartifact.on(CreateDomainCommand).resolves({ domain: { name: 'myorg' } });

    const outcome = await ensureDomain(client, { ...ref, dryRun: false });

    expect(outcome).toMatchObject({ status: 'created', description: { name: 'myorg' } });
    expect(firstInput(CreateDomainCommand)).toEqual({ domain: 'myorg' });
  });

  it('describes again when CreateDomain reports a Conflict (created concurrently)', async () => {
    codeartifact
      .on(DescribeDomainCommand)
      .rejectsOnce(notFound())
      .resolves({ domain: { name: 'myorg' } });
    codeartifact.on(CreateDomainCommand).rejects(conflict());

    const outcome = await ensureDomain(client, { ...ref, dryRun: false });

    expect(outcome.status).toBe('unchanged');
    expect(outcome.detail).toContain('concurrently');
    expect(codeartifact.commandCalls(DescribeDomainCommand)).toHaveLength(2);
  });

  it('only reports what it would create in a dry run', async () => {
    codeartifact.on(DescribeDomainCommand).rejects(notFound());

    const outcome = await ensureDomain(client, { ...ref, dryRun: true });

    expect(outcome.status).toBe('would-create');
    expect(codeartifact.commandCalls(CreateDomainCommand)).toHaveLength(0);
  });

  it('fails on AccessDenied with the least-privilege fix', async () => {
    codeartifact.on(DescribeDomainCommand).rejects(denied());

    const error = await ensureDomain(client, { ...ref, dryRun: false }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toBe('DescribeDomain failed: AccessDeniedException: not allowed');
    expect((error as AwsCallError).status).toBe(403);
    expect((error as AwsCallError).details?.fix).toBe(troubles.accessDenied.fix);
  });

  it('fails on throttling with the wait-and-retry fix', async () => {
    codeartifact.on(DescribeDomainCommand).rejects(notFound());
    codeartifact.on(CreateDomainCommand).rejects(throttled());

    const error = (await ensureDomain(client, { ...ref, dryRun: false }).catch(
      (caught: unknown) => caught,
    )) as AwsCallError;

    expect(error.awsName).toBe('ThrottlingException');
    expect(error.status).toBe(429);
    expect(error.details?.fix).toBe(troubles.throttled.fix);
  });
});

describe('ensureRepository', () => {
  const input = {
    ...ref,
    repository: 'npm-private',
    description: 'd',
    upstreams: ['npm-store'],
    dryRun: false,
  };

  it('creates a missing repository with its upstreams', async () => {
    codeartifact.on(DescribeRepositoryCommand).rejects(notFound());
    codeartifact.on(CreateRepositoryCommand).resolves({ repository: { name: 'npm-private' } });

    const outcome = await ensureRepository(client, input);

    expect(outcome.status).toBe('created');
    expect(firstInput(CreateRepositoryCommand)).toEqual({
      ...onDomain,
      repository: 'npm-private',
      description: 'd',
      upstreams: [{ repositoryName: 'npm-store' }],
    });
  });

  it('keeps a repository that already has the upstream', async () => {
    codeartifact
      .on(DescribeRepositoryCommand)
      .resolves({ repository: { upstreams: [{ repositoryName: 'npm-store' }] } });

    const outcome = await ensureRepository(client, input);

    expect(outcome.status).toBe('unchanged');
    expect(codeartifact.commandCalls(UpdateRepositoryCommand)).toHaveLength(0);
  });

  it('adds a missing upstream after the existing ones', async () => {
    codeartifact
      .on(DescribeRepositoryCommand)
      .resolves({ repository: { upstreams: [{ repositoryName: 'other' }] } });
    codeartifact.on(UpdateRepositoryCommand).resolves({ repository: { name: 'npm-private' } });

    const outcome = await ensureRepository(client, input);

    expect(outcome.status).toBe('updated');
    expect(codeartifact.commandCalls(UpdateRepositoryCommand)[0]!.args[0].input.upstreams).toEqual([
      { repositoryName: 'other' },
      { repositoryName: 'npm-store' },
    ]);
  });

  it('reports the missing upstream without adding it in a dry run', async () => {
    codeartifact.on(DescribeRepositoryCommand).resolves({ repository: { upstreams: [] } });

    expect((await ensureRepository(client, { ...input, dryRun: true })).status).toBe('would-update');
    codeartifact.on(DescribeRepositoryCommand).rejects(notFound());
    expect((await ensureRepository(client, { ...input, dryRun: true })).status).toBe('would-create');
    expect(codeartifact.commandCalls(UpdateRepositoryCommand)).toHaveLength(0);
    expect(codeartifact.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });

  it('describes again when CreateRepository reports a Conflict', async () => {
    codeartifact
      .on(DescribeRepositoryCommand)
      .rejectsOnce(notFound())
      .resolves({ repository: { upstreams: [{ repositoryName: 'npm-store' }] } });
    codeartifact.on(CreateRepositoryCommand).rejects(conflict());

    expect((await ensureRepository(client, input)).status).toBe('unchanged');
  });

  it('passes other failures on', async () => {
    codeartifact.on(DescribeRepositoryCommand).rejects(denied());
    await expect(ensureRepository(client, input)).rejects.toThrow(
      'DescribeRepository failed: AccessDeniedException',
    );
    codeartifact.on(DescribeRepositoryCommand).rejects(notFound());
    codeartifact.on(CreateRepositoryCommand).rejects(notFound());
    await expect(ensureRepository(client, input)).rejects.toThrow(
      'CreateRepository failed: ResourceNotFoundException',
    );
  });
});

describe('ensureExternalConnection', () => {
  const input = {
    ...ref,
    repository: 'npm-store',
    connection: 'public:npmjs',
    current: undefined,
    dryRun: false,
  };
  const connected = { externalConnections: [{ externalConnectionName: 'public:npmjs' }] };

  it('does nothing when the repository already has the connection', async () => {
    const outcome = await ensureExternalConnection(client, { ...input, current: connected });

    expect(outcome.status).toBe('unchanged');
    expect(codeartifact.calls()).toHaveLength(0);
  });

  it('associates the connection', async () => {
    codeartifact.on(AssociateExternalConnectionCommand).resolves({});

    const outcome = await ensureExternalConnection(client, input);

    expect(outcome.status).toBe('created');
    expect(firstInput(AssociateExternalConnectionCommand)).toEqual({
      ...onDomain,
      repository: 'npm-store',
      externalConnection: 'public:npmjs',
    });
  });

  it('accepts a Conflict when a fresh Describe shows the connection', async () => {
    codeartifact.on(AssociateExternalConnectionCommand).rejects(conflict());
    codeartifact.on(DescribeRepositoryCommand).resolves({ repository: connected });

    expect((await ensureExternalConnection(client, input)).status).toBe('unchanged');
  });

  it('explains a Conflict caused by another connection', async () => {
    codeartifact.on(AssociateExternalConnectionCommand).rejects(conflict());
    codeartifact
      .on(DescribeRepositoryCommand)
      .resolves({ repository: { externalConnections: [{ externalConnectionName: 'public:pypi' }] } });

    await expect(ensureExternalConnection(client, input)).rejects.toThrow(
      'repository npm-store already has the external connection public:pypi',
    );
  });

  it('reports the association in a dry run and passes other failures on', async () => {
    expect((await ensureExternalConnection(client, { ...input, dryRun: true })).status).toBe('would-create');
    codeartifact.on(AssociateExternalConnectionCommand).rejects(denied());
    await expect(ensureExternalConnection(client, input)).rejects.toThrow('AccessDeniedException');
  });
});

describe('token and endpoint', () => {
  it('asks for a token of the configured lifetime', async () => {
    const expiration = new Date('2030-01-01T00:00:00Z');
    codeartifact.on(GetAuthorizationTokenCommand).resolves({ authorizationToken: 'tok', expiration });

    const token = await getAuthorizationToken(client, { ...ref, durationSeconds: 900 });

    expect(token).toEqual({ token: 'tok', expiration });
    expect(firstInput(GetAuthorizationTokenCommand)).toEqual({
      ...onDomain,
      durationSeconds: 900,
    });
  });

  it('explains a refused token with the sts:GetServiceBearerToken fix', async () => {
    codeartifact.on(GetAuthorizationTokenCommand).rejects(denied());

    const error = (await getAuthorizationToken(client, { ...ref, durationSeconds: 900 }).catch(
      (e: unknown) => e,
    )) as AwsCallError;

    expect(error.details?.fix).toBe(troubles.tokenDenied.fix);
  });

  it('refuses an answer without a token or an endpoint', async () => {
    codeartifact.on(GetAuthorizationTokenCommand).resolves({});
    codeartifact.on(GetRepositoryEndpointCommand).resolves({});

    await expect(getAuthorizationToken(client, { ...ref, durationSeconds: 900 })).rejects.toThrow('no token');
    await expect(getRepositoryEndpoint(client, { ...ref, repository: 'r' })).rejects.toThrow('no endpoint');
  });

  it('always returns the endpoint with a trailing slash', async () => {
    codeartifact
      .on(GetRepositoryEndpointCommand)
      .resolvesOnce({
        repositoryEndpoint: 'https://myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/r',
      })
      .resolves({
        repositoryEndpoint: 'https://myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/r/',
      });

    const first = await getRepositoryEndpoint(client, { ...ref, repository: 'r' });
    const second = await getRepositoryEndpoint(client, { ...ref, repository: 'r' });

    expect(first).toBe('https://myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/r/');
    expect(second).toBe(first);
    expect(codeartifact.commandCalls(GetRepositoryEndpointCommand)[0]!.args[0].input.format).toBe('npm');
  });
});
