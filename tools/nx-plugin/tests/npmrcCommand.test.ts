import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CodeartifactClient,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
} from '@aws-sdk/client-codeartifact';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { NPMRC_USAGE, runNpmrcCommand } from '../src/npmrcCommand.ts';
import { useTempDirs } from './support/tempDir.ts';

const codeartifact = mockClient(CodeartifactClient);
const ENDPOINT = 'https://myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/npm-private/';

describe('npmrc command', () => {
  const tempDir = useTempDirs();

  async function run(argv: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runNpmrcCommand(argv, {
      cwd: cwd ?? (await tempDir()),
      env,
      log: (line) => out.push(line),
      error: (line) => err.push(line),
    });
    return { code, out, err };
  }

  it('fails, naming the file, when an output folder does not exist', async () => {
    // Prepare
    const cwd = await tempDir();

    // Act
    const { code, out, err } = await run(
      ['--out', 'missing/.npmrc'],
      { PUBLISH_REGISTRY_URL: 'http://127.0.0.1:4873/' },
      cwd,
    );

    // Assess
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err[0]).toMatch(/^npmrc: ENOENT.*missing\/\.npmrc/);
  });

  it('writes the files, token by reference, never the token itself', async () => {
    const cwd = await tempDir();

    const { code, out } = await run(
      ['--out', '.npmrc', '--out', 'second.npmrc'],
      { PUBLISH_REGISTRY_URL: 'http://127.0.0.1:4873/', PUBLISH_REGISTRY_TOKEN: 'secret' },
      cwd,
    );

    expect(code).toBe(0);
    const expected = `@myorg:registry=http://127.0.0.1:4873/\n//127.0.0.1:4873/:_authToken=\${MYORG_NPM_TOKEN}\n`;
    expect(await readFile(join(cwd, '.npmrc'), 'utf8')).toBe(expected);
    expect(await readFile(join(cwd, 'second.npmrc'), 'utf8')).toBe(expected);
    expect(out.join('\n')).not.toContain('secret');
    expect(out[0]).toBe(
      `wrote ${join(cwd, '.npmrc')}: @myorg from http://127.0.0.1:4873/, token from \${MYORG_NPM_TOKEN}`,
    );
  });

  it('writes the literal token or a named variable when asked', async () => {
    const cwd = await tempDir();
    const env = { PUBLISH_REGISTRY_TOKEN: 'secret' };

    const literal = await run(
      ['--out', 'l.npmrc', '--registry', 'http://127.0.0.1:1/r', '--write-token'],
      env,
      cwd,
    );
    const named = await run(
      ['--out', 'n.npmrc', '--registry', 'http://127.0.0.1:1/r', '--token-env', 'TEAM_TOKEN'],
      env,
      cwd,
    );

    expect([literal.code, named.code]).toEqual([0, 0]);
    expect(await readFile(join(cwd, 'l.npmrc'), 'utf8')).toContain('//127.0.0.1:1/r/:_authToken=secret');
    expect(await readFile(join(cwd, 'n.npmrc'), 'utf8')).toContain(
      `//127.0.0.1:1/r/:_authToken=\${TEAM_TOKEN}`,
    );
  });

  it('asks CodeArtifact for the endpoint when the config file is the target', async () => {
    // Prepare
    codeartifact.reset();
    codeartifact.on(GetAuthorizationTokenCommand).resolves({ authorizationToken: 'ca-token' });
    codeartifact.on(GetRepositoryEndpointCommand).resolves({ repositoryEndpoint: ENDPOINT });
    const cwd = await tempDir();
    await writeFile(
      join(cwd, 'codeartifact-config.json'),
      JSON.stringify({ region: 'us-east-1', domain: 'myorg', repository: 'npm-private' }),
    );

    // Act
    const { code } = await run(['--out', '.npmrc'], {}, cwd);

    // Assess
    expect(code).toBe(0);
    expect(await readFile(join(cwd, '.npmrc'), 'utf8')).toBe(
      `@myorg:registry=${ENDPOINT}\n//myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/npm-private/:_authToken=\${CODEARTIFACT_AUTH_TOKEN}\n`,
    );
  });

  it('prints usage, and explains wrong use with exit code 1', async () => {
    const help = await run(['--help']);
    const noOut = await run([]);
    const both = await run(['--out', 'x', '--write-token', '--token-env', 'A']);
    const noToken = await run(['--out', 'x', '--registry', 'http://127.0.0.1:1/', '--write-token']);
    const unknown = await run(['--bogus']);

    expect(help).toEqual({ code: 0, out: [NPMRC_USAGE], err: [] });
    expect(noOut.err).toEqual(['npmrc: give at least one --out <file>']);
    expect(both.err).toEqual(['npmrc: give --token-env or --write-token, not both']);
    expect(noToken.err).toEqual([
      'npmrc: --write-token: the target has no token (set PUBLISH_REGISTRY_TOKEN)',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.err[0]).toMatch(/^npmrc: Unknown option '--bogus'/);
  });
});
