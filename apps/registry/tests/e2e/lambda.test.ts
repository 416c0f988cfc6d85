import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Fixture, startS3rver } from '../../../../libs/storage/tests/support/s3rver.ts';
import { LAMBDA_BUNDLE } from '../../src/lambda/serveLambda.ts';
import { installedVersion, writePackage, writeProject } from './support/fixtures.ts';
import { packagePath, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import { workspaceRoot } from './support/registryServer.ts';

/**
 * `nx serve registry --lambda`: the built Lambda bundle behind the local stand-in for an API
 * Gateway HTTP API (payload format 2.0), driven by the real npm and pnpm CLIs. With S3 storage
 * (s3rver) tarballs and packuments too large for a Lambda response (6 MB, "Lambda quotas",
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html) come by 302 from S3.
 */

// What the Lambda process gets as environment; filled in before the sessions start their servers.
const s3Env: Record<string, string> = { LOG_LEVEL: 'warn' };
let s3: S3Fixture;

// The bundle the wrapper runs is built from this checkout by `nx build registry`, which `test` depends on.
beforeAll(async () => {
  const { size } = await stat(join(workspaceRoot, LAMBDA_BUNDLE));
  expect(size).toBeLessThanOrEqual(2 * 1024 * 1024);
  s3 = await startS3rver();
  const bucket = await s3.createBucket();
  // Another host name than the registry's: npm sends its token only to the registry's host, and S3
  // refuses a request that carries both a token and a signature.
  const endpoint = s3.env().AWS_ENDPOINT_URL_S3?.replace('127.0.0.1', 'localhost') ?? '';
  Object.assign(s3Env, s3.env(), {
    AWS_ENDPOINT_URL_S3: endpoint,
    REGISTRY_STORAGE: `s3://${bucket}/registry`,
  });
}, 120_000);

afterAll(async () => {
  await s3?.stop();
});

interface PackumentJson {
  versions: Record<string, { dist: { tarball: string } }>;
}

describe('the registry on Lambda with S3 storage', { timeout: 180_000 }, () => {
  const session = useNpmSession({
    label: 'lambda-s3',
    user: 'lambda',
    server: { args: ['--lambda'], env: s3Env },
  });

  it('publishes with npm, answers tarball GETs with a 302 to S3, and installs with npm and pnpm', async () => {
    const dir = await writePackage(join(session.work, 'src'), { name: '@e2e/on-lambda', version: '1.0.0' });
    await session.client.npmOk(['publish'], { cwd: dir });

    const packument = (await request(session.server, packagePath('@e2e/on-lambda'))).json as PackumentJson;
    const tarball = new URL(packument.versions['1.0.0']?.dist.tarball ?? '');
    const answer = await request(session.server, tarball.pathname);
    expect(answer.status).toBe(302);
    expect(new URL(String(answer.headers.location)).hostname).toBe('localhost');

    const npmProject = await writeProject(join(session.work, 'npm'), { '@e2e/on-lambda': '^1.0.0' });
    await session.client.npmOk(['install'], { cwd: npmProject });
    const pnpmProject = await writeProject(join(session.work, 'pnpm'), { '@e2e/on-lambda': '^1.0.0' });
    const pnpm = await session.client.pnpm(['install'], { cwd: pnpmProject });
    expect(pnpm.code, pnpm.stderr + pnpm.stdout).toBe(0);
    for (const project of [npmProject, pnpmProject]) {
      expect(await installedVersion(project, '@e2e/on-lambda')).toBe('1.0.0');
    }
  });

  // About 30 s alone (eight 2 MB publishes into a growing 7 MB document); far longer on busy cores.
  it('serves a packument over 6 MB by a 302 to a compressed copy in S3, and npm installs from it', {
    timeout: 420_000,
  }, async () => {
    // Each version carries 850 KB of random text in a field installs read (engines; a tarball's
    // package.json may hold 1 MB), so the abbreviated document too passes Lambda's limit even
    // compressed, while each publish stays far under it.
    const versions = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5', '1.0.6', '1.0.7'];
    for (const version of versions) {
      const padding = randomBytes(640 * 1024).toString('base64');
      const dir = await writePackage(join(session.work, 'big'), {
        name: 'e2e-big-packument',
        version,
        engines: { node: '>=18', padding },
      });
      await session.client.npmOk(['publish'], { cwd: dir });
    }

    const packument = await request(session.server, '/e2e-big-packument', {
      headers: { accept: 'application/vnd.npm.install-v1+json', 'accept-encoding': 'gzip' },
    });
    expect(packument.status).toBe(302);
    const stored = await fetch(String(packument.headers.location));
    expect(stored.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.byteLength(await stored.text())).toBeGreaterThan(6 * 1024 * 1024);

    const project = await writeProject(join(session.work, 'big-consumer'), { 'e2e-big-packument': '^1.0.0' });
    await session.client.npmOk(['install'], { cwd: project });
    expect(await installedVersion(project, 'e2e-big-packument')).toBe('1.0.7');
  });
});

describe('the registry on Lambda on a named stage', { timeout: 180_000 }, () => {
  // File storage (the default, as for the server): tarballs stream through the function.
  const session = useNpmSession({
    label: 'lambda-stage',
    server: { args: ['--lambda', '--stage=prod'], env: { REGISTRY_MAX_BODY: '1mb', LOG_LEVEL: 'warn' } },
  });

  beforeAll(async () => {
    const name = 'stager';
    const created = await request(session.server, `/prod/-/user/org.couchdb.user:${name}`, {
      method: 'PUT',
      body: {
        _id: `org.couchdb.user:${name}`,
        name,
        password: 'stager-password-1',
        email: 'stager@example.com',
      },
    });
    expect(created.status, created.text).toBe(201);
    await session.client.setToken((created.json as { token: string }).token);
  });

  it('keeps the stage in tarball URLs, and installs through it', async () => {
    expect(session.server.url).toMatch(/\/prod\/$/);
    const dir = await writePackage(join(session.work, 'src'), { name: 'e2e-staged', version: '1.0.0' });
    await session.client.npmOk(['publish'], { cwd: dir });

    const packument = (await request(session.server, '/prod/e2e-staged')).json as PackumentJson;
    expect(packument.versions['1.0.0']?.dist.tarball).toBe(
      `${session.server.url}e2e-staged/-/e2e-staged-1.0.0.tgz`,
    );
    const project = await writeProject(join(session.work, 'consumer'), { 'e2e-staged': '1.0.0' });
    await session.client.npmOk(['install'], { cwd: project });
  });

  it('refuses a publish over the limit with a 413 whose message npm prints: why, and what to do instead', async () => {
    const dir = await writePackage(join(session.work, 'src'), {
      name: 'e2e-too-big',
      version: '1.0.0',
      files: { 'payload.bin': randomBytes(2 * 1024 * 1024) },
    });
    const published = await session.client.npm(['publish'], { cwd: dir });

    expect(published.code).not.toBe(0);
    expect(published.stderr).toContain('E413');
    expect(published.stderr).toContain('this registry runs on AWS Lambda behind API Gateway');
    expect(published.stderr).toContain('publish larger packages through the release pipeline');
  });
});
