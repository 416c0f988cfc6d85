import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const app = resolve(import.meta.dirname, '../src/app.ts');

describe('src/app.ts', () => {
  let outdir: string;
  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'codeartifact-stack-'));
  });
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('synthesises the stack offline, without the CDK CLI or an AWS account', async () => {
    // Act
    await run(process.execPath, [app], {
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        GITHUB_REPOSITORY: 'myorg/platform',
        CODEARTIFACT_DOMAIN: 'acme',
      },
    });

    // Assess
    const template = JSON.parse(await readFile(join(outdir, 'MyorgCodeArtifact.template.json'), 'utf8'));
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map(
      (resource) => resource.Type,
    );
    expect(types.sort()).toEqual([
      'AWS::CodeArtifact::Domain',
      'AWS::CodeArtifact::Repository',
      'AWS::CodeArtifact::Repository',
      'AWS::IAM::OIDCProvider',
      'AWS::IAM::Role',
    ]);
    expect(JSON.stringify(template)).toContain('repo:myorg/platform:ref:refs/heads/main');
    expect(JSON.stringify(template)).toContain('"DomainName":"acme"');
  });

  it('names the missing setting', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: outdir };
    delete env.GITHUB_REPOSITORY;

    const failure = await run(process.execPath, [app], { env }).catch((error: { stderr: string }) => error);

    expect((failure as { stderr: string }).stderr).toContain(
      'set the CDK context "githubRepository" or the environment variable GITHUB_REPOSITORY',
    );
  });
});
