import {
  AccessDeniedException,
  CodeartifactClient,
  DescribePackageVersionCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-codeartifact';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PublishTarget, publishPackages, resolveTarget } from '../src/publish/index.ts';
import { type RegistryStandIn, startRegistryStandIn } from './helpers/registryStandIn.ts';
import { tempDir, writePackage } from './helpers/tempDir.ts';

const codeartifact = mockClient(CodeartifactClient);
const ENDPOINT = 'https://myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/npm-private';
const target: PublishTarget = {
  kind: 'codeartifact',
  domain: 'myorg',
  domainOwner: '111122223333',
  repository: 'npm-private',
  region: 'us-east-1',
  tokenDurationSeconds: 900,
};
const metadata = { httpStatusCode: 400, $metadata: {} };

function answerTokenAndEndpoint(endpoint = ENDPOINT): void {
  codeartifact.on(GetAuthorizationTokenCommand).resolves({ authorizationToken: 'ca-token' });
  codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: endpoint });
}

describe('resolveTarget for CodeArtifact', () => {
  beforeEach(() => {
    codeartifact.reset();
  });

  it('gets a token and the npm endpoint for the domain and repository', async () => {
    // Prepare
    answerTokenAndEndpoint();

    // Act
    const resolved = await resolveTarget(target, { env: {} });

    // Assess
    expect(resolved.registryUrl).toBe(`${ENDPOINT}/`);
    expect(resolved.token).toBe('ca-token');
    expect(codeartifact.commandCalls(GetAuthorizationTokenCommand)[0]?.args[0].input).toEqual({
      domain: 'myorg',
      domainOwner: '111122223333',
      durationSeconds: 900,
    });
    expect(codeartifact.commandCalls(GetRepositoryEndpointCommand)[0]?.args[0].input).toEqual({
      domain: 'myorg',
      domainOwner: '111122223333',
      repository: 'npm-private',
      format: 'npm',
    });
  });

  it('sends requests to the endpoint override and the caller account when no owner is set', async () => {
    // Prepare
    let endpointUsed: unknown;
    codeartifact.on(GetAuthorizationTokenCommand).callsFake(async (_input, getClient) => {
      const resolvedEndpoint = await getClient().config.endpoint?.();
      endpointUsed =
        resolvedEndpoint &&
        `${resolvedEndpoint.protocol}//${resolvedEndpoint.hostname}:${resolvedEndpoint.port}`;
      return { authorizationToken: 't' };
    });
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: `${ENDPOINT}/` });

    // Act
    const resolved = await resolveTarget(
      { ...target, domainOwner: '', endpoint: 'http://127.0.0.1:4599' },
      { env: {} },
    );

    // Assess
    expect(endpointUsed).toBe('http://127.0.0.1:4599');
    expect(resolved.registryUrl).toBe(`${ENDPOINT}/`);
    expect(
      codeartifact.commandCalls(GetAuthorizationTokenCommand)[0]?.args[0].input.domainOwner,
    ).toBeUndefined();
  });

  it('answers "published" from DescribePackageVersion, with the scope as namespace', async () => {
    // Prepare
    answerTokenAndEndpoint();
    codeartifact.on(DescribePackageVersionCommand).resolves({ packageVersion: { status: 'Published' } });
    const resolved = await resolveTarget(target, { env: {} });

    // Act
    const published = await resolved.isPublished('@myorg/logger', '1.2.0');

    // Assess
    expect(published).toBe(true);
    expect(codeartifact.commandCalls(DescribePackageVersionCommand)[0]?.args[0].input).toEqual({
      domain: 'myorg',
      domainOwner: '111122223333',
      repository: 'npm-private',
      format: 'npm',
      namespace: 'myorg',
      package: 'logger',
      packageVersion: '1.2.0',
    });
  });

  it('answers "not published" on ResourceNotFoundException, for unscoped names too', async () => {
    answerTokenAndEndpoint();
    codeartifact
      .on(DescribePackageVersionCommand)
      .rejects(new ResourceNotFoundException({ message: 'Package version not found', ...metadata }));
    const resolved = await resolveTarget(target, { env: {} });

    const published = await resolved.isPublished('left-pad', '1.0.0');

    expect(published).toBe(false);
    const input = codeartifact.commandCalls(DescribePackageVersionCommand)[0]?.args[0].input;
    expect(input?.namespace).toBeUndefined();
    expect(input?.package).toBe('left-pad');
  });

  it.each([
    [
      new AccessDeniedException({ message: 'not authorized to perform DescribePackageVersion', ...metadata }),
      403,
    ],
    [new ThrottlingException({ message: 'Rate exceeded', ...metadata }), 429],
  ])('fails the check with the operation named when CodeArtifact answers %s', async (error, status) => {
    answerTokenAndEndpoint();
    codeartifact.on(DescribePackageVersionCommand).rejects(error);
    const resolved = await resolveTarget(target, { env: {} });

    const failure = await resolved.isPublished('@myorg/a', '1.0.0').catch((e: unknown) => e);

    expect(failure).toMatchObject({
      status,
      code: error.name,
      message: `CodeArtifact DescribePackageVersion failed: ${error.name}: ${error.message}`,
    });
  });

  it('fails resolution when the token is refused or the repository is unknown', async () => {
    codeartifact
      .on(GetAuthorizationTokenCommand)
      .rejects(new AccessDeniedException({ message: 'no sts:GetServiceBearerToken', ...metadata }));
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: ENDPOINT });
    await expect(resolveTarget(target, { env: {} })).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('GetAuthorizationToken failed: AccessDeniedException'),
    });

    codeartifact.reset();
    codeartifact.on(GetAuthorizationTokenCommand).resolves({ authorizationToken: 't' });
    codeartifact
      .on(GetRepositoryEndpointCommand)
      .rejects(new ResourceNotFoundException({ message: 'Repository npm-private not found', ...metadata }));
    await expect(resolveTarget(target, { env: {} })).rejects.toMatchObject({ status: 404 });
  });

  it('explains missing credentials and unexpected answers', async () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    codeartifact.on(GetAuthorizationTokenCommand).rejects(noCredentials);
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: ENDPOINT });
    await expect(resolveTarget(target, { env: {} })).rejects.toMatchObject({ status: 401 });

    codeartifact.reset();
    codeartifact.on(GetAuthorizationTokenCommand).resolves({});
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: ENDPOINT });
    await expect(resolveTarget(target, { env: {} })).rejects.toMatchObject({
      status: 502,
      message: 'CodeArtifact returned no token or endpoint for myorg/npm-private',
    });

    codeartifact.reset();
    codeartifact.on(GetAuthorizationTokenCommand).rejects('socket hang up');
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: ENDPOINT });
    await expect(resolveTarget(target, { env: {} })).rejects.toMatchObject({ status: 502 });
  });
});

describe('publishPackages to CodeArtifact', () => {
  let npmEndpoint: RegistryStandIn;

  beforeEach(async () => {
    codeartifact.reset();
    npmEndpoint = await startRegistryStandIn({ prefix: '/npm/npm-private/' });
  });

  afterEach(async () => {
    await npmEndpoint.close();
  });

  it('publishes what DescribePackageVersion does not know, with the CodeArtifact token, and skips the rest', async () => {
    // Prepare: the SDK answers from the mock; the npm endpoint it names is a loopback registry.
    codeartifact.on(GetAuthorizationTokenCommand).resolves({ authorizationToken: npmEndpoint.token });
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: npmEndpoint.url });
    codeartifact
      .on(DescribePackageVersionCommand, { package: 'fresh' })
      .rejects(new ResourceNotFoundException({ message: 'not found', ...metadata }))
      .on(DescribePackageVersionCommand, { package: 'old' })
      .resolves({ packageVersion: { status: 'Published' } });
    const root = await tempDir();
    const fresh = await writePackage(`${root}/fresh`, { name: '@myorg/fresh', version: '1.0.0' });
    const old = await writePackage(`${root}/old`, { name: '@myorg/old', version: '2.0.0' });

    // Act
    const summary = await publishPackages(
      [
        { name: '@myorg/fresh', version: '1.0.0', dir: fresh },
        { name: '@myorg/old', version: '2.0.0', dir: old },
      ],
      target,
      { env: {} },
    );

    // Assess
    expect(summary).toMatchObject({ published: 1, skipped: 1, failed: 0 });
    expect(npmEndpoint.versions('@myorg/fresh')).toEqual(['1.0.0']);
    expect(npmEndpoint.versions('@myorg/old')).toEqual([]);
  });
});
