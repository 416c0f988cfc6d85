import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CodeartifactClient,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
} from '@aws-sdk/client-codeartifact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/runCli.ts';
import { npmrc } from '../src/commands/npmrc.ts';
import { refreshLoop } from '../src/commands/refreshLoop.ts';
import { token } from '../src/commands/token.ts';
import { adminConfig, commandContext } from './support/fixtures.ts';
import { denied } from './support/sdkErrors.ts';
import { mockSdkClient } from './support/sdkMock.ts';
import { testDir, testIo } from './support/testIo.ts';

const codeartifact = mockSdkClient(CodeartifactClient);
const endpoint = 'https://myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/npm-private/';

describe('token', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await testDir();
    let count = 0;
    codeartifact.on(GetAuthorizationTokenCommand).callsFake((input) => {
      count += 1;
      return {
        authorizationToken: `token-${count}`,
        expiration: new Date(Date.now() + input.durationSeconds * 1000),
      };
    });
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: endpoint });
  });
  afterEach(async () => {
    codeartifact.reset();
  });

  it('prints only the token on stdout', async () => {
    const io = testIo(dir);

    await token(commandContext(adminConfig(dir), io), { export: false });

    expect(io.out()).toBe('token-1\n');
    expect(io.err()).toMatch(/^token for myorg valid until /);
    expect(codeartifact.commandCalls(GetAuthorizationTokenCommand)[0]!.args[0].input.durationSeconds).toBe(
      43_200,
    );
  });

  it('prints a quoted export line with a custom lifetime', async () => {
    codeartifact
      .on(GetAuthorizationTokenCommand)
      .resolves({ authorizationToken: "it's", expiration: new Date() });
    const io = testIo(dir);

    await token(commandContext(adminConfig(dir, { tokenEnvVar: 'CA_TOKEN' }), io), {
      export: true,
      duration: '1h',
    });

    expect(io.out()).toBe(`export CA_TOKEN='it'\\''s'\n`);
    expect(codeartifact.commandCalls(GetAuthorizationTokenCommand)[0]!.args[0].input.durationSeconds).toBe(
      3600,
    );
  });

  it('refuses lifetimes outside 15 minutes to 12 hours and refresh intervals past the lifetime', async () => {
    const context = commandContext(adminConfig(dir), testIo(dir));

    await expect(token(context, { export: false, duration: '5m' })).rejects.toThrow('outside 15m to 12h');
    await expect(token(context, { export: false, duration: '1h', refreshEvery: '2h' })).rejects.toThrow(
      '--refresh-every 2h must be shorter than the token',
    );
  });

  it('keeps rewriting the .npmrc files with fresh inline tokens until stopped', async () => {
    // Prepare
    await mkdir(join(dir, 'app'));
    const io = testIo(dir);
    const controller = new AbortController();
    const context = commandContext(adminConfig(dir, { consumerPaths: ['app', '.'] }), io);

    // Act
    const running = token(context, { export: false, refreshEvery: '50ms', signal: controller.signal });
    while (codeartifact.commandCalls(GetAuthorizationTokenCommand).length < 3)
      await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await running;

    // Assess
    const written = await readFile(join(dir, 'app/.npmrc'), 'utf8');
    expect(written).toMatch(/:_authToken=token-[3-9]\n/);
    expect(written).toContain('# token expires ');
    expect(await readFile(join(dir, '.npmrc'), 'utf8')).toContain(`@myorg:registry=${endpoint}`);
    expect(io.err()).toContain('refreshed 2 .npmrc file(s)');
    expect(io.err()).toMatch(/stopped after \d+ refresh\(es\)\n$/);
  });
});

describe('refreshLoop', () => {
  it('reports a failed refresh and retries sooner instead of giving up', async () => {
    const controller = new AbortController();
    const errors: unknown[] = [];
    let calls = 0;

    const refreshed = await refreshLoop({
      everyMs: 60_000,
      retryMs: 5,
      signal: controller.signal,
      async refresh() {
        calls += 1;
        if (calls < 3) throw new Error(`blip ${calls}`);
        controller.abort();
      },
      onError: (error) => errors.push(error),
    });

    expect(refreshed).toBe(1);
    expect(errors.map((error) => (error as Error).message)).toEqual(['blip 1', 'blip 2']);
  });

  it('does not start when already stopped', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;

    await refreshLoop({
      everyMs: 1,
      retryMs: 1,
      signal: controller.signal,
      refresh: async () => void calls++,
      onError: () => {},
    });

    expect(calls).toBe(0);
  });
});

describe('npmrc', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await testDir();
    codeartifact
      .on(GetAuthorizationTokenCommand)
      .resolves({ authorizationToken: 'fresh', expiration: new Date(Date.now() + 3_600_000) });
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: endpoint });
  });
  afterEach(async () => {
    codeartifact.reset();
  });

  it(`writes the \${VAR} form without asking for a token`, async () => {
    const io = testIo(dir);

    const reports = await npmrc(commandContext(adminConfig(dir, { consumerPaths: ['.'] }), io), {
      dryRun: false,
    });

    expect(reports.map((report) => report.status)).toEqual(['checked', 'checked', 'written']);
    expect(codeartifact.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(0);
  });

  it('always writes a fresh token in the inline form', async () => {
    const config = adminConfig(dir, { consumerPaths: ['.'], npmrcToken: 'inline' });
    await npmrc(commandContext(config, testIo(dir)), { dryRun: false });
    codeartifact
      .on(GetAuthorizationTokenCommand)
      .resolves({ authorizationToken: 'newer', expiration: new Date(Date.now() + 3_600_000) });

    const reports = await npmrc(commandContext(config, testIo(dir)), { dryRun: false });

    expect(reports.at(-1)?.status).toBe('written');
    expect(await readFile(join(dir, '.npmrc'), 'utf8')).toContain(':_authToken=newer\n');
  });

  it('exits 1 with the fix when the token is refused', async () => {
    codeartifact.on(GetAuthorizationTokenCommand).rejects(denied('no'));
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(
        join(dir, 'codeartifact-config.json'),
        JSON.stringify({
          region: 'us-east-1',
          account: '111122223333',
          domain: 'myorg',
          repository: 'npm-private',
          scope: '@myorg',
          npmrcToken: 'inline',
        }),
      ),
    );
    const io = testIo(dir);

    const code = await runCli(['npmrc'], io);

    expect(code).toBe(1);
    expect(io.err()).toContain('error: GetAuthorizationToken failed: AccessDeniedException: no\nfix: ');
    expect(io.err()).toContain('sts:GetServiceBearerToken');
  });
});
