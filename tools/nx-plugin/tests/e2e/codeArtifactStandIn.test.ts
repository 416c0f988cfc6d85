import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CodeartifactClient,
  CreateDomainCommand,
  CreateRepositoryCommand,
  DescribePackageVersionCommand,
} from '@aws-sdk/client-codeartifact';
import {
  type PackageToPublish,
  type PublishTarget,
  publishPackages,
  resolveTarget,
} from '@myorg/services/publish';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublishTarget } from '../../src/loadPublishTarget.ts';
import { runNpmrcCommand } from '../../src/npmrcCommand.ts';
import { startCodeArtifactStandIn } from '../support/registryProcesses.ts';
import { useTempDirs, writePackage } from '../support/tempDir.ts';

const run = promisify(execFile);
const workspace = resolve(import.meta.dirname, '../../../..');
const REGION = 'us-east-1';

// The real SDK against the loopback stand-in: any key is accepted, none is a real credential.
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: REGION };

describe('publishing to the CodeArtifact stand-in', () => {
  const tempDir = useTempDirs();
  let standIn: { url: string; stop(): Promise<void> };
  let endpoint: string;
  let saved: Record<string, string | undefined>;

  beforeAll(async () => {
    saved = Object.fromEntries(Object.keys(AWS_ENV).map((key) => [key, process.env[key]]));
    Object.assign(process.env, AWS_ENV);
    standIn = await startCodeArtifactStandIn(workspace);
    endpoint = standIn.url.replace(/\/$/, '');
    const client = new CodeartifactClient({ region: REGION, endpoint });
    await client.send(new CreateDomainCommand({ domain: 'myorg' }));
    await client.send(new CreateRepositoryCommand({ domain: 'myorg', repository: 'npm-private' }));
  }, 120_000);

  afterAll(async () => {
    await standIn?.stop();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  async function workspaceWithConfig(): Promise<{
    root: string;
    env: NodeJS.ProcessEnv;
    packages: PackageToPublish[];
  }> {
    const root = await tempDir();
    await writeFile(
      join(root, 'codeartifact-config.json'),
      JSON.stringify({
        region: REGION,
        account: `\${AWS_ACCOUNT_ID:-}`,
        domain: 'myorg',
        repository: 'npm-private',
        endpoint: `\${CODEARTIFACT_ENDPOINT}`,
        tokenDuration: '15m',
      }),
    );
    const packages = await Promise.all(
      ['ca-first', 'ca-second'].map(async (name) => ({
        name: `@myorg/${name}`,
        version: '1.0.0',
        dir: await writePackage(join(root, 'libs', name), `@myorg/${name}`, '1.0.0'),
      })),
    );
    return { root, env: { ...process.env, CODEARTIFACT_ENDPOINT: endpoint }, packages };
  }

  it('publishes through the token and endpoint the SDK returns, and skips the same versions next time', async () => {
    // Prepare
    const { root, env, packages } = await workspaceWithConfig();
    const target: PublishTarget = await loadPublishTarget({ workspaceRoot: root, env });

    // Act
    const first = await publishPackages(packages, target, { env });
    const second = await publishPackages(packages, target, { env });

    // Assess
    expect(first).toMatchObject({ published: 2, skipped: 0, failed: 0 });
    expect(second).toMatchObject({ published: 0, skipped: 2, failed: 0 });
    const client = new CodeartifactClient({ region: REGION, endpoint });
    const described = await client.send(
      new DescribePackageVersionCommand({
        domain: 'myorg',
        repository: 'npm-private',
        format: 'npm',
        namespace: 'myorg',
        package: 'ca-first',
        packageVersion: '1.0.0',
      }),
    );
    expect(described.packageVersion?.status).toBe('Published');
  });

  it('writes a consumer .npmrc that installs the published packages', async () => {
    // Prepare: publish, then generate the consumer's .npmrc with the npmrc command.
    const { root, env, packages } = await workspaceWithConfig();
    await publishPackages(packages, await loadPublishTarget({ workspaceRoot: root, env }), { env });
    const consumer = join(root, 'consumer');
    await mkdir(consumer);
    await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const errors: string[] = [];
    const code = await runNpmrcCommand(['--out', 'consumer/.npmrc'], {
      cwd: root,
      env,
      log: () => {},
      error: (line) => errors.push(line),
    });
    expect({ code, errors }).toEqual({ code: 0, errors: [] });
    const resolved = await resolveTarget(await loadPublishTarget({ workspaceRoot: root, env }), { env });

    // Act
    const npmEnv = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)),
    );
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--cache', join(root, 'npm-cache'), '@myorg/ca-first@^1.0.0'],
      {
        cwd: consumer,
        env: { ...npmEnv, CODEARTIFACT_AUTH_TOKEN: resolved.token },
      },
    );

    // Assess
    const installed = JSON.parse(
      await readFile(join(consumer, 'node_modules/@myorg/ca-first/package.json'), 'utf8'),
    );
    expect(installed.version).toBe('1.0.0');
    expect(await readFile(join(consumer, '.npmrc'), 'utf8')).toContain(
      `:_authToken=\${CODEARTIFACT_AUTH_TOKEN}`,
    );
  });
});
