import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AccessDeniedException,
  AssociateExternalConnectionCommand,
  CodeartifactClient,
  ConflictException,
  CreateDomainCommand,
  CreateRepositoryCommand,
  DescribeDomainCommand,
  DescribePackageVersionCommand,
  DescribeRepositoryCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
  ListPackageVersionsCommand,
  ResourceNotFoundException,
  UpdateRepositoryCommand,
  ValidationException,
} from '@aws-sdk/client-codeartifact';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { RegistryClient } from '@myorg/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStandIn, startCodeArtifactStandIn } from '../src/index.ts';

const run = promisify(execFile);
const credentials = { accessKeyId: 'AKIASTANDIN', secretAccessKey: 'anything' };

/** A real .tgz of a package, packed by the system tar as npm would lay it out. */
async function tarball(manifest: Record<string, unknown>): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'standin-tgz-'));
  try {
    await mkdir(join(dir, 'package'));
    await writeFile(join(dir, 'package/package.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'package/index.js'), 'module.exports = 1;\n');
    await run('tar', ['-czf', join(dir, 'p.tgz'), '-C', dir, 'package']);
    return await readFile(join(dir, 'p.tgz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the CodeArtifact stand-in, driven by the real AWS SDK', () => {
  let standIn: RunningStandIn;
  let client: CodeartifactClient;
  let now = new Date('2030-01-01T00:00:00Z');
  const domain = { domain: 'acme', domainOwner: '123456789012' };
  /** A repository of the domain with the named upstreams, as CreateRepository and UpdateRepository take it. */
  const withUpstreams = (repository: string, ...upstreams: string[]) => ({
    ...domain,
    repository,
    upstreams: upstreams.map((repositoryName) => ({ repositoryName })),
  });
  const associate = (repository: string, externalConnection: string) =>
    client.send(new AssociateExternalConnectionCommand({ ...domain, repository, externalConnection }));

  beforeAll(async () => {
    standIn = await startCodeArtifactStandIn({
      account: '123456789012',
      region: 'eu-west-1',
      now: () => now,
    });
    client = new CodeartifactClient({
      region: 'eu-west-1',
      endpoint: standIn.url,
      credentials,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('creates and describes a domain, and reports ResourceNotFound and Conflict as the API does', async () => {
    await expect(client.send(new DescribeDomainCommand(domain))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );

    const created = await client.send(new CreateDomainCommand({ domain: 'acme' }));
    const described = await client.send(new DescribeDomainCommand(domain));
    const duplicate = await client
      .send(new CreateDomainCommand({ domain: 'acme' }))
      .catch((error: unknown) => error);

    expect(created.domain).toMatchObject({
      name: 'acme',
      owner: '123456789012',
      status: 'Active',
      repositoryCount: 0,
    });
    expect(created.domain?.arn).toBe('arn:aws:codeartifact:eu-west-1:123456789012:domain/acme');
    expect(described.domain?.createdTime).toEqual(now);
    expect(duplicate).toBeInstanceOf(ConflictException);
    expect(duplicate).toMatchObject({ resourceId: 'acme', resourceType: 'domain' });
    await expect(
      client.send(new DescribeDomainCommand({ domain: 'acme', domainOwner: '999999999999' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new CreateDomainCommand({ domain: 'Bad_Name' }))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });

  it('creates repositories with upstreams, extends upstreams, and holds one external connection per repository', async () => {
    await client.send(new CreateRepositoryCommand({ ...domain, repository: 'store' }));
    const connected = await associate('store', 'public:npmjs');
    const repo = await client.send(
      new CreateRepositoryCommand({ ...withUpstreams('private', 'store'), description: 'ours' }),
    );
    await client.send(new CreateRepositoryCommand({ ...domain, repository: 'extra' }));
    const updated = await client.send(
      new UpdateRepositoryCommand(withUpstreams('private', 'store', 'extra')),
    );

    expect(connected.repository?.externalConnections).toEqual([
      { externalConnectionName: 'public:npmjs', packageFormat: 'npm', status: 'AVAILABLE' },
    ]);
    expect(repo.repository).toMatchObject({
      name: 'private',
      domainName: 'acme',
      description: 'ours',
      upstreams: [{ repositoryName: 'store' }],
    });
    expect(updated.repository?.upstreams?.map((upstream) => upstream.repositoryName)).toEqual([
      'store',
      'extra',
    ]);
    expect(
      (await client.send(new DescribeRepositoryCommand({ ...domain, repository: 'private' }))).repository
        ?.arn,
    ).toBe('arn:aws:codeartifact:eu-west-1:123456789012:repository/acme/private');
    await expect(associate('store', 'public:pypi')).rejects.toBeInstanceOf(ConflictException);
    await expect(
      client.send(new CreateRepositoryCommand({ ...domain, repository: 'store' })),
    ).rejects.toBeInstanceOf(ConflictException);
    await expect(
      client.send(new CreateRepositoryCommand(withUpstreams('x1', 'missing'))),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      resourceType: 'repository',
      resourceId: 'missing',
    });
    await expect(associate('extra', 'public:nowhere')).rejects.toBeInstanceOf(ValidationException);
    await expect(
      client.send(new UpdateRepositoryCommand(withUpstreams('extra', 'extra'))),
    ).rejects.toBeInstanceOf(ValidationException);
    expect((await client.send(new DescribeDomainCommand(domain))).domain?.repositoryCount).toBe(3);
  });

  it('mints tokens of the asked lifetime and refuses others', async () => {
    const token = await client.send(new GetAuthorizationTokenCommand({ ...domain, durationSeconds: 900 }));
    const session = await client.send(new GetAuthorizationTokenCommand({ ...domain, durationSeconds: 0 }));

    expect(token.authorizationToken).toMatch(/^[\w-]{64}$/);
    expect(token.expiration).toEqual(new Date(now.getTime() + 900_000));
    expect(session.expiration).toEqual(new Date(now.getTime() + 3_600_000));
    await expect(
      client.send(new GetAuthorizationTokenCommand({ ...domain, durationSeconds: 60 })),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(client.send(new GetAuthorizationTokenCommand({ domain: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('serves each repository’s npm endpoint from our registry, behind the domain’s tokens', async () => {
    // Prepare
    const { repositoryEndpoint } = await client.send(
      new GetRepositoryEndpointCommand({ ...domain, repository: 'private', format: 'npm' }),
    );
    const { authorizationToken } = await client.send(
      new GetAuthorizationTokenCommand({ ...domain, durationSeconds: 900 }),
    );
    const manifest = {
      name: '@acme/tool',
      version: '1.0.0',
      description: 'a tool',
      license: 'MIT',
      homepage: 'https://acme.test',
    };
    const npm = new RegistryClient({ registry: repositoryEndpoint!, token: authorizationToken!, retries: 0 });

    // Act
    await npm.publish(manifest, await tarball(manifest));
    await npm.publish({ ...manifest, version: '1.1.0' }, await tarball({ ...manifest, version: '1.1.0' }));
    const packument = await npm.getPackument('@acme/tool');

    // Assess
    expect(repositoryEndpoint).toBe(`${standIn.url}/acme-123456789012/npm/private/`);
    expect(packument?.status).toBe(200);
    const body = (
      packument as { document(): { versions: Record<string, { dist: { tarball: string } }> } }
    ).document();
    expect(body.versions['1.0.0']!.dist.tarball).toBe(`${repositoryEndpoint}@acme/tool/-/tool-1.0.0.tgz`);
    const download = await npm.getTarball(body.versions['1.0.0']!.dist.tarball);
    const bytes = Buffer.from(await new Response(download.body).arrayBuffer());
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const anonymous = await fetch(`${repositoryEndpoint}@acme%2ftool`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="acme-123456789012"');
    const basic = await fetch(`${repositoryEndpoint}@acme%2ftool`, {
      headers: { authorization: `Basic ${Buffer.from(`aws:${authorizationToken}`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
    expect((await fetch(`${standIn.url}/acme-123456789012/npm/absent/x`)).status).toBe(404);
  });

  it('describes and lists published versions, and answers ResourceNotFound for the others', async () => {
    const coordinates = {
      ...domain,
      repository: 'private',
      format: 'npm' as const,
      namespace: 'acme',
      package: 'tool',
    };

    const described = await client.send(
      new DescribePackageVersionCommand({ ...coordinates, packageVersion: '1.0.0' }),
    );
    const page = await client.send(new ListPackageVersionsCommand({ ...coordinates, maxResults: 1 }));
    const rest = await client.send(
      new ListPackageVersionsCommand({ ...coordinates, nextToken: page.nextToken! }),
    );

    expect(described.packageVersion).toMatchObject({
      format: 'npm',
      namespace: 'acme',
      packageName: 'tool',
      displayName: '@acme/tool',
      version: '1.0.0',
      summary: 'a tool',
      homePage: 'https://acme.test',
      licenses: [{ name: 'MIT' }],
      status: 'Published',
      origin: { domainEntryPoint: { repositoryName: 'private' }, originType: 'INTERNAL' },
    });
    expect(described.packageVersion?.publishedTime).toBeInstanceOf(Date);
    expect(page).toMatchObject({
      defaultDisplayVersion: '1.1.0',
      package: 'tool',
      namespace: 'acme',
      versions: [{ version: '1.0.0' }],
    });
    expect(rest.versions?.map((version) => version.version)).toEqual(['1.1.0']);
    expect(rest.nextToken).toBeUndefined();
    await expect(
      client.send(new DescribePackageVersionCommand({ ...coordinates, packageVersion: '9.9.9' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      resourceType: 'package-version',
    });
    await expect(
      client.send(
        new DescribePackageVersionCommand({ ...coordinates, namespace: '@acme', packageVersion: '1.0.0' }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', resourceType: 'package' });
    await expect(
      client.send(new ListPackageVersionsCommand({ ...coordinates, format: 'pypi' })),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(
      client.send(new ListPackageVersionsCommand({ ...coordinates, maxResults: 5000 })),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it('stops accepting a token once it expires', async () => {
    const { repositoryEndpoint } = await client.send(
      new GetRepositoryEndpointCommand({ ...domain, repository: 'private', format: 'npm' }),
    );
    const { authorizationToken } = await client.send(
      new GetAuthorizationTokenCommand({ ...domain, durationSeconds: 900 }),
    );
    const read = () =>
      fetch(`${repositoryEndpoint}@acme%2ftool`, {
        headers: { authorization: `Bearer ${authorizationToken}` },
      });

    expect((await read()).status).toBe(200);
    now = new Date(now.getTime() + 901_000);
    expect((await read()).status).toBe(401);
  });

  it('answers STS GetCallerIdentity for any signed caller, and refuses unsigned or unknown requests', async () => {
    const sts = new STSClient({ region: 'eu-west-1', endpoint: standIn.url, credentials, maxAttempts: 1 });

    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const unsigned = await fetch(`${standIn.url}/v1/domain?domain=acme`);
    const unknown = await fetch(`${standIn.url}/v1/nothing`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x/y' },
    });
    const otherAction = await fetch(standIn.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRole&Version=2011-06-15',
    });

    expect(identity).toMatchObject({
      Account: '123456789012',
      UserId: 'AKIASTANDIN',
      Arn: 'arn:aws:iam::123456789012:user/codeartifact-stand-in',
    });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(otherAction.status).toBe(400);
    expect(await otherAction.text()).toContain('<Code>InvalidAction</Code>');
    expect((await fetch(`${standIn.url}/elsewhere`)).status).toBe(404);
    const badBody = await client
      .send(new CreateRepositoryCommand({ ...domain, repository: 'y1', upstreams: 'x' as never }))
      .catch((error: unknown) => error);
    expect(badBody).toBeInstanceOf(Error);
    await expect(
      client.send(new GetRepositoryEndpointCommand({ ...domain, repository: 'private', format: 'maven' })),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(
      client.send(new DescribeRepositoryCommand({ ...domain, repository: '' })),
    ).rejects.toBeInstanceOf(Error);
    expect(AccessDeniedException).toBeDefined();
  });
});
