import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AssociateExternalConnectionCommand,
  CodeartifactClient,
  CreateDomainCommand,
  CreateRepositoryCommand,
  DescribeDomainCommand,
  DescribePackageVersionCommand,
  DescribeRepositoryCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
} from '@aws-sdk/client-codeartifact';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/runCli.ts';
import { setup } from '../src/commands/setup.ts';
import { adminConfig, commandContext, writeLibrary } from './support/fixtures.ts';
import { denied, notFound } from './support/sdkErrors.ts';
import { mockSdkClient } from './support/sdkMock.ts';
import { type TestIo, testDir, testIo } from './support/testIo.ts';

const endpoint = 'https://myorg-444455556666.d.codeartifact.us-east-1.amazonaws.com/npm/npm-private/';

const codeartifact = mockSdkClient(CodeartifactClient);
const sts = mockSdkClient(STSClient);

/** An account where nothing exists yet: every Describe answers ResourceNotFound until Create runs. */
function freshAccount(): void {
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: '444455556666', Arn: 'arn:aws:iam::444455556666:user/admin' });
  codeartifact.on(DescribeDomainCommand).rejects(notFound());
  codeartifact.on(CreateDomainCommand).resolves({ domain: { name: 'myorg' } });
  codeartifact.on(DescribeRepositoryCommand).rejects(notFound());
  codeartifact.on(CreateRepositoryCommand).callsFake((input) => ({ repository: { name: input.repository } }));
  codeartifact.on(AssociateExternalConnectionCommand).resolves({});
  access();
}

/** Everything in place, the libraries included. */
function readyAccount(): void {
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: '444455556666', Arn: 'arn:aws:iam::444455556666:user/admin' });
  codeartifact.on(DescribeDomainCommand).resolves({ domain: { name: 'myorg' } });
  codeartifact.on(DescribeRepositoryCommand, { repository: 'npm-store' }).resolves({
    repository: {
      name: 'npm-store',
      upstreams: [],
      externalConnections: [{ externalConnectionName: 'public:npmjs' }],
    },
  });
  codeartifact.on(DescribeRepositoryCommand, { repository: 'npm-private' }).resolves({
    repository: {
      name: 'npm-private',
      upstreams: [{ repositoryName: 'npm-store' }],
      externalConnections: [],
    },
  });
  access();
}

function access(): void {
  codeartifact
    .on(GetAuthorizationTokenCommand)
    .resolves({ authorizationToken: 'secret-token', expiration: new Date(Date.now() + 43_200_000) });
  codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: endpoint });
  // Both libraries are already published: the shared publishing code skips them without running npm.
  codeartifact.on(DescribePackageVersionCommand).resolves({ packageVersion: { status: 'Published' } });
}

describe('setup', () => {
  let dir: string;
  let io: TestIo;
  beforeEach(async () => {
    dir = await testDir();
    io = testIo(dir);
    await writeLibrary(join(dir, 'libs'), 'a', { name: '@myorg/a', version: '1.0.0' });
    await writeLibrary(join(dir, 'libs'), 'b', { name: '@myorg/b', version: '2.0.0' });
  });
  afterEach(async () => {
    codeartifact.reset();
    sts.reset();
  });

  it('creates the domain, the npm-store upstream with public:npmjs, the repository, and writes the .npmrc', async () => {
    // Prepare
    freshAccount();
    await mkdir(join(dir, 'app'));
    const context = commandContext(adminConfig(dir, { account: undefined }), io);

    // Act
    const reports = await setup(context, { dryRun: false });

    // Assess
    expect(reports.map((report) => `${report.title}: ${report.status}`)).toEqual([
      'Libraries: checked',
      'AWS account: checked',
      'Domain myorg: created',
      'Repository npm-store: created',
      'External connection public:npmjs: created',
      'Repository npm-private: created',
      'Authorization token: checked',
      'npm endpoint: checked',
      'Publish libraries: unchanged',
      '.npmrc app: written',
    ]);
    const creates = codeartifact.commandCalls(CreateRepositoryCommand).map((call) => call.args[0].input);
    expect(creates.map(({ repository, upstreams }) => ({ repository, upstreams }))).toEqual([
      { repository: 'npm-store', upstreams: [] },
      { repository: 'npm-private', upstreams: [{ repositoryName: 'npm-store' }] },
    ]);
    expect(codeartifact.commandCalls(AssociateExternalConnectionCommand)[0]!.args[0].input.repository).toBe(
      'npm-store',
    );
    expect(
      codeartifact.commandCalls(DescribePackageVersionCommand).map((call) => call.args[0].input),
    ).toEqual([
      expect.objectContaining({
        namespace: 'myorg',
        package: 'a',
        packageVersion: '1.0.0',
        domainOwner: '444455556666',
      }),
      expect.objectContaining({
        namespace: 'myorg',
        package: 'b',
        packageVersion: '2.0.0',
        domainOwner: '444455556666',
      }),
    ]);
    const npmrc = await readFile(join(dir, 'app/.npmrc'), 'utf8');
    expect(npmrc).toContain(`@myorg:registry=${endpoint}`);
    expect(io.out()).toContain('5 step(s) made changes.');
  });

  it('changes nothing on a second run and says so', async () => {
    readyAccount();
    await writeFile(join(dir, '.npmrc'), '');
    const context = commandContext(adminConfig(dir, { consumerPaths: ['.'] }), io);
    await setup(context, { dryRun: false });
    const first = io.out();

    const reports = await setup(context, { dryRun: false });

    expect(first).toContain('1 step(s) made changes.');
    expect(reports.filter((report) => !['checked', 'unchanged'].includes(report.status))).toEqual([]);
    expect(io.out().slice(first.length)).toContain('Nothing changed: everything was already in place.');
    expect(codeartifact.commandCalls(CreateDomainCommand)).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
  });

  it('reports what it would do in a dry run and creates nothing', async () => {
    freshAccount();

    const reports = await setup(commandContext(adminConfig(dir), io), { dryRun: true });

    expect(reports.map((report) => report.status)).toEqual([
      'checked',
      'checked',
      'would-create',
      'would-create',
      'would-create',
      'would-create',
      'skipped',
      'skipped',
      'would-publish',
      'would-write',
    ]);
    expect(codeartifact.commandCalls(CreateDomainCommand)).toHaveLength(0);
    expect(codeartifact.commandCalls(DescribeRepositoryCommand)).toHaveLength(0);
    expect(io.out()).toContain('Summary (dry run, nothing was changed):');
    expect(io.out()).toContain('6 step(s) would make changes.');
  });

  it('connects the repository itself when no upstream is configured', async () => {
    freshAccount();
    const config = adminConfig(dir, { upstreamRepository: undefined });

    const reports = await setup(commandContext(config, io), { dryRun: true });

    expect(reports.map((report) => report.title).slice(2, 5)).toEqual([
      'Domain myorg',
      'External connection public:npmjs',
      'Repository npm-private',
    ]);
  });

  it('stops before touching AWS when a library is not built', async () => {
    await writeLibrary(join(dir, 'libs'), 'c', { name: '@myorg/c', version: '1.0.0' }, { built: false });

    await expect(setup(commandContext(adminConfig(dir), io), { dryRun: false })).rejects.toThrow(
      'not built: @myorg/c (./dist/index.js)',
    );
    expect(codeartifact.calls()).toHaveLength(0);
  });

  it('fails naming every package that could not be published, after printing what was done', async () => {
    readyAccount();
    codeartifact.on(DescribePackageVersionCommand).rejects(denied('no'));

    const error = (await setup(commandContext(adminConfig(dir), io), { dryRun: false }).catch(
      (caught: unknown) => caught,
    )) as Error;

    expect(error.message).toMatch(
      /^publishing failed for 2 package\(s\):\n {2}@myorg\/a@1\.0\.0: .*AccessDenied/,
    );
    expect(io.out()).toContain('unchanged  Domain myorg');
  });
});

describe('setup through the CLI', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await testDir();
  });
  afterEach(async () => {
    codeartifact.reset();
    sts.reset();
  });

  it('lists every unset variable of the config file and exits 1', async () => {
    // Prepare
    const io = testIo(dir);
    await writeFile(
      join(dir, 'codeartifact-config.json'),
      JSON.stringify({
        region: `\${AWS_REGION}`,
        domain: `\${CA_DOMAIN}`,
        repository: 'r1',
        scope: '@myorg',
      }),
    );

    // Act
    const code = await runCli(['setup'], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe('error: missing environment variables: AWS_REGION, CA_DOMAIN\n');
  });

  it('writes no .npmrc, the workspace root included, when the config names no consumer paths', async () => {
    const io = testIo(dir);
    await writeLibrary(join(dir, 'libs'), 'a', { name: '@myorg/a', version: '1.0.0' });
    await writeFile(
      join(dir, 'codeartifact-config.json'),
      JSON.stringify({ region: 'us-east-1', domain: 'myorg', repository: 'npm-private', scope: '@myorg' }),
    );
    readyAccount();

    const code = await runCli(['setup'], io);

    expect(code).toBe(0);
    expect(io.out()).toContain('Consumer .npmrc files: none written: the config names no "consumerPaths"');
    expect(existsSync(join(dir, '.npmrc'))).toBe(false);
  });

  it('hands the configured profile to every CodeArtifact client, publishing included, not to AWS_PROFILE', async () => {
    const io = testIo(dir);
    await writeLibrary(join(dir, 'libs'), 'a', { name: '@myorg/a', version: '1.0.0' });
    await writeFile(
      join(dir, 'codeartifact-config.json'),
      JSON.stringify({
        region: 'us-east-1',
        profile: 'release',
        domain: 'myorg',
        repository: 'npm-private',
        scope: '@myorg',
      }),
    );
    readyAccount();
    const before = process.env.AWS_PROFILE;

    const code = await runCli(['setup'], io);

    expect(code).toBe(0);
    const published = codeartifact.commandCalls(DescribePackageVersionCommand);
    expect(published).toHaveLength(1);
    const profiles = codeartifact
      .calls()
      .map((call) => (call.thisValue as CodeartifactClient).config.profile);
    expect(new Set(profiles)).toEqual(new Set(['release']));
    expect(process.env.AWS_PROFILE).toBe(before);
  });

  it('runs a dry run from the config file with the global options applied', async () => {
    const io = testIo(dir, { CA_DOMAIN: 'myorg' });
    await writeLibrary(join(dir, 'libs'), 'a', { name: '@myorg/a', version: '1.0.0' });
    await writeFile(
      join(dir, 'ca.json'),
      JSON.stringify({
        region: 'us-east-1',
        domain: `\${CA_DOMAIN}`,
        repository: 'npm-private',
        scope: '@myorg',
      }),
    );
    freshAccount();

    const code = await runCli(
      [
        '-c',
        'ca.json',
        '--region',
        'eu-west-1',
        '--endpoint-url',
        'http://127.0.0.1:9',
        'setup',
        '--dry-run',
      ],
      io,
    );

    expect(code).toBe(0);
    expect(io.out()).toContain('would create domain myorg');
    expect(await codeartifact.commandCalls(DescribeDomainCommand)[0]!.thisValue.config.region()).toBe(
      'eu-west-1',
    );
  });
});
