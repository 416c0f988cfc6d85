import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CodeartifactClient,
  DescribeDomainCommand,
  DescribeRepositoryCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
} from '@aws-sdk/client-codeartifact';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/runCli.ts';
import { doctor } from '../src/commands/doctor.ts';
import { simulationArn } from '../src/doctor/awsChecks.ts';
import { checkNpmrcFile } from '../src/doctor/checkNpmrcFile.ts';
import { troubles } from '../src/doctor/troubleshooting.ts';
import { mergeManagedBlock } from '../src/npmrc/managedBlock.ts';
import { adminConfig, commandContext } from './support/fixtures.ts';
import { httpServer } from './support/httpServer.ts';
import { denied, notFound } from './support/sdkErrors.ts';
import { mockSdkClient } from './support/sdkMock.ts';
import { testDir, testIo } from './support/testIo.ts';

const codeartifact = mockSdkClient(CodeartifactClient);
const sts = mockSdkClient(STSClient);
const iam = mockSdkClient(IAMClient);

describe('doctor', () => {
  let dir: string;
  let registry: { url: string; close: () => Promise<void> };
  let seenAuthorization: string | undefined;

  beforeEach(async () => {
    dir = await testDir();
    registry = await httpServer((req, res) => {
      seenAuthorization = req.headers.authorization;
      res.statusCode = req.headers.authorization === 'Bearer good' ? 404 : 401;
      res.end('{}');
    });
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/dev/alice' });
    codeartifact.on(DescribeDomainCommand).resolves({ domain: { name: 'myorg' } });
    codeartifact.on(DescribeRepositoryCommand, { repository: 'npm-private' }).resolves({
      repository: { name: 'npm-private', upstreams: [{ repositoryName: 'npm-store' }] },
    });
    codeartifact.on(DescribeRepositoryCommand, { repository: 'npm-store' }).resolves({
      repository: { name: 'npm-store', externalConnections: [{ externalConnectionName: 'public:npmjs' }] },
    });
    codeartifact
      .on(GetAuthorizationTokenCommand)
      .resolves({ authorizationToken: 'good', expiration: new Date() });
    codeartifact
      .on(GetRepositoryEndpointCommand)
      .resolves({ repositoryEndpoint: `${registry.url}/npm/npm-private/` });
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input) => ({
      EvaluationResults: input.ActionNames.map((EvalActionName: string) => ({
        EvalActionName,
        EvalDecision: 'allowed',
      })),
    }));
  });
  afterEach(async () => {
    codeartifact.reset();
    sts.reset();
    iam.reset();
    await registry.close();
  });

  async function writeNpmrc(lines: string[], expiresAt?: Date): Promise<void> {
    await writeFile(join(dir, '.npmrc'), mergeManagedBlock(undefined, lines, expiresAt));
  }

  it('passes when everything is in place, and checks the endpoint with the token', async () => {
    // Prepare
    const url = `${registry.url}/npm/npm-private/`;
    await writeNpmrc([`@myorg:registry=${url}`, `${url.replace('http:', '')}:_authToken=\${CA_TOKEN}`]);
    const io = testIo(dir, { CA_TOKEN: 'x' });

    // Act
    const code = await doctor(commandContext(adminConfig(dir, { consumerPaths: ['.'] }), io));

    // Assess
    expect(code).toBe(0);
    expect(io.out().split('\n').slice(0, 8)).toEqual([
      '✔ Credentials: arn:aws:sts::111122223333:assumed-role/dev/alice',
      '✔ Domain: myorg (owner 111122223333)',
      '✔ Repositories: npm-private -> npm-store -> public:npmjs',
      '✔ Token: GetAuthorizationToken works',
      `✔ Endpoint: ${url}`,
      '✔ Publish permissions: token, read and publish allowed',
      `✔ Endpoint access: ${url} accepts the token`,
      `✔ .npmrc ${join(dir, '.npmrc')}: ${url}, token from \${CA_TOKEN}`,
    ]);
    expect(io.out()).toContain('All checks passed.');
    expect(seenAuthorization).toBe('Bearer good');
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[0]!.args[0].input.PolicySourceArn).toBe(
      'arn:aws:iam::111122223333:role/dev',
    );
  });

  it('skips what needs credentials when there are none, and prints the fix', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }));
    const io = testIo(dir);

    const code = await doctor(commandContext(adminConfig(dir, { consumerPaths: ['.'] }), io));

    expect(code).toBe(1);
    expect(io.out()).toContain(
      `✖ Credentials: GetCallerIdentity failed: CredentialsProviderError: Could not load credentials\n    fix: ${troubles.noCredentials.fix}`,
    );
    expect(io.out()).toContain('↓ Domain: needs working credentials');
    expect(io.out()).toContain(
      `✖ .npmrc ${join(dir, '.npmrc')}: missing\n    fix: ${troubles.npmrcMismatch.fix}`,
    );
    expect(codeartifact.calls()).toHaveLength(0);
  });

  it('names a missing domain, a refused token, denied permissions and a rejected token, each with its fix', async () => {
    codeartifact.on(DescribeDomainCommand).rejects(notFound('no domain'));
    codeartifact
      .on(GetAuthorizationTokenCommand)
      .resolvesOnce({ authorizationToken: 'bad', expiration: new Date() });
    iam.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [
        { EvalActionName: 'codeartifact:PublishPackageVersion', EvalDecision: 'implicitDeny' },
      ],
    });
    const io = testIo(dir);

    const code = await doctor(commandContext(adminConfig(dir, { consumerPaths: [] }), io));

    expect(code).toBe(1);
    const out = io.out();
    expect(out).toContain(
      `✖ Domain: DescribeDomain failed: ResourceNotFoundException: no domain\n    fix: ${troubles.domainMissing.fix}`,
    );
    expect(out).toContain('↓ Repositories: needs the domain');
    expect(out).toContain(`✖ Publish permissions: denied: codeartifact:PublishPackageVersion`);
    expect(out).toContain(
      `✖ Endpoint access: 401 from ${registry.url}/npm/npm-private/\n    fix: ${troubles.tokenRejected.fix}`,
    );
  });

  it('flags the root user, a broken repository chain and an unreachable endpoint', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:root' });
    codeartifact
      .on(DescribeRepositoryCommand, { repository: 'npm-private' })
      .resolves({ repository: { upstreams: [] } });
    codeartifact
      .on(GetRepositoryEndpointCommand)
      .resolves({ repositoryEndpoint: 'http://127.0.0.1:1/npm/x/' });
    iam.on(SimulatePrincipalPolicyCommand).rejects(denied('no'));
    const io = testIo(dir);

    await doctor(commandContext(adminConfig(dir, { consumerPaths: [] }), io));

    const out = io.out();
    expect(out).toContain(`✖ Credentials: arn:aws:iam::111122223333:root\n    fix: ${troubles.rootUser.fix}`);
    expect(out).toContain('✖ Repositories: npm-private lacks the upstream npm-store');
    expect(out).toContain(
      '⚠ Publish permissions: not checked: the caller may not call iam:SimulatePrincipalPolicy',
    );
    expect(out).toContain(
      `✖ Endpoint access: http://127.0.0.1:1/npm/x/: fetch failed\n    fix: ${troubles.endpointUnreachable.fix}`,
    );
  });

  it('reports a repository without the external connection and a failing token call', async () => {
    codeartifact
      .on(DescribeRepositoryCommand, { repository: 'npm-store' })
      .resolves({ repository: { name: 'npm-store' } });
    codeartifact.on(GetAuthorizationTokenCommand).rejects(denied('no'));
    codeartifact.on(GetRepositoryEndpointCommand).rejects(notFound('gone'));
    iam.on(SimulatePrincipalPolicyCommand).rejects(new Error('socket hang up'));
    const io = testIo(dir);

    await doctor(commandContext(adminConfig(dir, { consumerPaths: [] }), io));

    const out = io.out();
    expect(out).toContain('✖ Repositories: npm-store is not connected to public:npmjs');
    expect(out).toContain(
      `✖ Token: GetAuthorizationToken failed: AccessDeniedException: no\n    fix: ${troubles.tokenDenied.fix}`,
    );
    expect(out).toContain(`    fix: ${troubles.repositoryMissing.fix}`);
    expect(out).toContain(
      '⚠ Publish permissions: not checked: SimulatePrincipalPolicy failed: Error: socket hang up',
    );
    expect(out).toContain('↓ Endpoint access: needs the token and the endpoint');
  });

  it('answers 5xx from the endpoint as unreachable', async () => {
    const broken = await httpServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: `${broken.url}/npm/x/` });
    const io = testIo(dir);

    await doctor(commandContext(adminConfig(dir, { consumerPaths: [] }), io));
    await broken.close();

    expect(io.out()).toContain(`✖ Endpoint access: 503 from ${broken.url}/npm/x/`);
  });

  it('prints every known trouble with --list', async () => {
    const io = testIo(dir);

    expect(await runCli(['doctor', '--list'], io)).toBe(0);

    for (const trouble of Object.values(troubles))
      expect(io.out()).toContain(
        `${trouble.id}\n    symptom: ${trouble.symptom}\n    fix:     ${trouble.fix}\n`,
      );
  });

  it('exits 1 through the CLI when a check fails', async () => {
    await mkdir(join(dir, 'cfg'));
    await writeFile(
      join(dir, 'cfg/codeartifact-config.json'),
      JSON.stringify({
        region: 'us-east-1',
        domain: 'myorg',
        repository: 'npm-private',
        scope: '@myorg',
        consumerPaths: ['.'],
      }),
    );
    const io = testIo(join(dir, 'cfg'));

    expect(await runCli(['doctor'], io)).toBe(1);
    expect(io.out()).toContain('check(s) failed.');
  });
});

describe('the .npmrc check', () => {
  const url = 'https://d-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/r/';
  const key = '//d-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/r/:_authToken';
  const now = new Date('2030-01-01T00:00:00Z');
  const expected = { scope: '@myorg', registryUrl: url, env: {}, now };
  let dir: string;
  beforeEach(async () => {
    dir = await testDir();
  });

  async function check(text: string, overrides: Partial<typeof expected> = {}) {
    const file = join(dir, '.npmrc');
    await writeFile(file, text);
    return checkNpmrcFile(file, { ...expected, ...overrides });
  }

  it('grades inline tokens by what is left of them', async () => {
    const lines = [`@myorg:registry=${url}`, `${key}=t`];
    const at = (ms: number) => new Date(now.getTime() + ms);

    expect(await check(mergeManagedBlock(undefined, lines, at(5 * 3_600_000)))).toMatchObject({
      status: 'ok',
      detail: 'token valid for 5h',
    });
    expect(await check(mergeManagedBlock(undefined, lines, at(600_000)))).toMatchObject({
      status: 'warn',
      trouble: 'tokenExpiring',
    });
    expect(await check(mergeManagedBlock(undefined, lines, at(-1)))).toMatchObject({
      status: 'fail',
      trouble: 'tokenExpiring',
    });
    expect(await check(mergeManagedBlock(undefined, lines))).toMatchObject({
      status: 'warn',
      detail: 'holds a token of unknown expiry',
    });
  });

  it('finds lines that do not match the registry', async () => {
    expect(await check('registry=x\n')).toMatchObject({ status: 'fail', trouble: 'npmrcMismatch' });
    expect(await check(mergeManagedBlock(undefined, ['@myorg:registry=https://other/']))).toMatchObject({
      status: 'fail',
      detail: `points at https://other/, not ${url}`,
    });
    expect(
      await check(mergeManagedBlock(undefined, [`@myorg:registry=${url}`, '//elsewhere/:_authToken=t'])),
    ).toMatchObject({
      status: 'fail',
      detail: `no ${key}= line for that registry`,
    });
    expect(await check(`always-auth=true\n`)).toMatchObject({ status: 'warn', trouble: 'alwaysAuth' });
    expect(
      await check(
        mergeManagedBlock(
          undefined,
          [`@myorg:registry=https://other/`, '//other/:_authToken=t'],
          new Date('2031-01-01'),
        ),
        { registryUrl: undefined },
      ),
    ).toMatchObject({ status: 'ok' });
  });

  it('maps assumed-role sessions to their role for the simulation', () => {
    expect(simulationArn('arn:aws:sts::111122223333:assumed-role/dev/alice')).toBe(
      'arn:aws:iam::111122223333:role/dev',
    );
    expect(simulationArn('arn:aws:iam::111122223333:user/bob')).toBe('arn:aws:iam::111122223333:user/bob');
  });
});
