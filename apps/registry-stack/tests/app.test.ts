import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const app = resolve(import.meta.dirname, '../src/app.ts');
const synth = (env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--conditions=@myorg/source', app], { env: { ...process.env, ...env } });

describe('src/app.ts', () => {
  let outdir: string;
  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'registry-stack-'));
  });
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('synthesises offline, with the function code from the bundle folder', async () => {
    // Prepare: the template only names the code; a stand-in file is enough for synthesis.
    const bundle = join(outdir, 'bundle');
    await mkdir(bundle, { recursive: true });
    await writeFile(join(bundle, 'index.mjs'), 'export const handler = async () => ({ statusCode: 204 });\n');

    // Act
    await synth({
      CDK_OUTDIR: outdir,
      REGISTRY_STACK_LAMBDA_BUNDLE: bundle,
      REGISTRY_STACK_KMS_KEY: 'true',
      REGISTRY_STACK_UPSTREAM_CACHE_DAYS: '7',
    });

    // Assess
    const template = JSON.parse(await readFile(join(outdir, 'MyorgRegistry.template.json'), 'utf8'));
    const text = JSON.stringify(template);
    expect(text).toContain('"Runtime":"nodejs24.x"');
    expect(text).toContain('"ExpirationInDays":7,"Id":"ExpireUpstreamCopies","Prefix":"registry/upstream/"');
    expect(text).toContain('"SSEAlgorithm":"aws:kms"');
  });

  it('names settings that do not go together or do not parse', async () => {
    const failure = (env: NodeJS.ProcessEnv) =>
      synth({ CDK_OUTDIR: outdir, ...env }).then(
        () => '',
        (error: { stderr: string }) => error.stderr,
      );

    expect(await failure({ REGISTRY_STACK_LAMBDA_BUNDLE: join(outdir, 'no-bundle') })).toContain(
      `${join(outdir, 'no-bundle')}/index.mjs does not exist: build the registry's Lambda bundle first`,
    );
    expect(await failure({ REGISTRY_STACK_DOMAIN_NAME: 'npm.example.com' })).toContain(
      'a custom domain needs both "domainName" and "certificateArn"',
    );
    expect(await failure({ REGISTRY_STACK_NONCURRENT_VERSION_DAYS: '1.5' })).toContain(
      '"noncurrentVersionDays" (REGISTRY_STACK_NONCURRENT_VERSION_DAYS) must be a whole number of days, not "1.5"',
    );
  });
});
