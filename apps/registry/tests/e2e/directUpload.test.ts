import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DirectUpload } from '@myorg/services';
import { resolveTarget } from '@myorg/services/publish';
import { S3Storage } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Fixture, startS3rver } from '../../../../libs/storage/tests/support/s3rver.ts';
import { makeTarball, publishBody, sha512Integrity, writePackage } from './support/fixtures.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';

/** Random bytes do not compress: the tarball is this large, far above the 5 MB body limit below. */
const payloadBytes = 20 * 1024 * 1024;

interface Packument {
  versions: Record<string, { dist: { tarball: string; integrity: string } }>;
}

/**
 * The registry as on AWS Lambda (`--lambda`: the built bundle behind the local API Gateway
 * stand-in) on S3 (s3rver behind its conditional-write proxy), with a request body limit below
 * Lambda's: a 20 MB package reaches it only through a direct upload, and installs by redirect.
 */
describe('publishing through a direct upload to S3', { timeout: 300_000 }, () => {
  let s3: S3Fixture;
  let storage: S3Storage;
  const env: Record<string, string> = {};
  beforeAll(async () => {
    s3 = await startS3rver();
    const bucket = await s3.createBucket();
    storage = new S3Storage({ client: s3.client(), bucket, prefix: 'registry' });
    Object.assign(env, s3.env(), {
      // Another host name than the registry's: npm sends its token only to the registry's host,
      // and S3 refuses a request that carries both a token and a signature.
      AWS_ENDPOINT_URL_S3: s3.env().AWS_ENDPOINT_URL_S3?.replace('127.0.0.1', 'localhost') ?? '',
      REGISTRY_STORAGE: `s3://${bucket}/registry`,
      REGISTRY_MAX_BODY: '5mb',
      REGISTRY_MAX_UPLOAD: '24mb',
    });
  });
  afterAll(async () => {
    await s3?.stop();
  });
  // Declared after the hooks above: the server starts once `env` is filled, and stops before s3rver.
  const session = useNpmSession({ label: 'upload', user: 'uploader', server: { env, args: ['--lambda'] } });

  async function offer(token = session.token): Promise<DirectUpload> {
    const answer = await request(session.server, '/-/myorg/v1/uploads', { method: 'POST', token });
    expect(answer.status, answer.text).toBe(201);
    return answer.json as DirectUpload;
  }

  async function upload(offered: DirectUpload, bytes: Buffer): Promise<void> {
    const response = await fetch(offered.url, {
      method: offered.method,
      headers: offered.headers,
      body: bytes,
    });
    expect(response.status, await response.text()).toBe(200);
  }

  /** npm's publish body for `name`@1.0.0, its attachment naming `id` in place of the data. */
  async function commitBody(
    id: string,
    name: string,
    tarball: Buffer,
    manifest: Record<string, unknown> = {},
  ) {
    const body = await publishBody(name, '1.0.0', { tarball, manifest });
    for (const attachment of Object.values(body._attachments)) {
      Object.assign(attachment, { data: undefined, upload: id });
    }
    return JSON.parse(JSON.stringify(body)) as typeof body;
  }

  const commit = (body: { name: string }, token = session.token) =>
    request(session.server, packagePath(body.name), { method: 'PUT', token, body });

  async function pending(): Promise<string[]> {
    return (await storage.list({ prefix: 'pending/' })).objects.map((object) => object.key);
  }

  it('publishes a 20 MB package with the release pipeline, and npm installs it intact', async () => {
    // Prepare
    const payload = randomBytes(payloadBytes);
    const dir = await writePackage(session.work, {
      name: '@e2e/huge',
      version: '1.0.0',
      files: { 'payload.bin': payload },
    });
    const target = await resolveTarget({ kind: 'registry', url: session.server.url, token: session.token });
    const project = join(session.work, 'consumer');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));

    // Act
    const result = await target.uploader({ name: '@e2e/huge', version: '1.0.0', dir }, target, {
      tag: 'latest',
    });
    const packument = (await request(session.server, packagePath('@e2e/huge'))).json as Packument;
    const dist = packument.versions['1.0.0']?.dist;
    // On Lambda the tarball comes by a redirect to a signed URL at S3, as npm follows it below.
    const redirect = await request(session.server, new URL(dist?.tarball ?? session.server.url).pathname);
    const tarball = Buffer.from(await (await fetch(String(redirect.headers.location))).arrayBuffer());
    const installed = await session.client.npm(['install', '@e2e/huge'], { cwd: project });

    // Assess
    expect(result).toBe('published');
    expect(redirect.status).toBe(302);
    expect(tarball.length).toBeGreaterThan(payloadBytes);
    expect(sha512Integrity(tarball)).toBe(dist?.integrity);
    expect(installed.code, installed.stderr).toBe(0);
    const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { integrity?: string }>;
    };
    expect(lock.packages['node_modules/@e2e/huge']?.integrity).toBe(dist?.integrity);
    const copy = await readFile(join(project, 'node_modules', '@e2e', 'huge', 'payload.bin'));
    expect(copy.equals(payload)).toBe(true);
    expect(await pending()).toEqual([]);
    // The same version again is a conflict, reported as npm publish reports it.
    expect(
      await target.uploader({ name: '@e2e/huge', version: '1.0.0', dir }, target, { tag: 'latest' }),
    ).toBe('already-published');
  });

  it('refuses a commit whose integrity is not the upload’s', async () => {
    const tarball = await makeTarball({
      'package.json': JSON.stringify({ name: 'forged', version: '1.0.0' }),
    });
    const offered = await offer();
    await upload(offered, tarball);
    const body = await commitBody(offered.id, 'forged', tarball);
    const other = await makeTarball({
      'package.json': JSON.stringify({ name: 'forged', version: '1.0.0', x: 1 }),
    });
    for (const manifest of Object.values(body.versions)) manifest.dist.integrity = sha512Integrity(other);

    const answer = await commit(body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'EINTEGRITY' });
    expect((await request(session.server, packagePath('forged'))).status).toBe(404);
  });

  it('refuses a manifest that is not the package.json in the uploaded tarball', async () => {
    const packed = { name: 'twofaced', version: '1.0.0', scripts: { postinstall: 'node steal.js' } };
    const tarball = await makeTarball({ 'package.json': JSON.stringify(packed) });
    const offered = await offer();
    await upload(offered, tarball);
    const answer = await commit(await commitBody(offered.id, 'twofaced', tarball, { scripts: {} }));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: expect.stringMatching(/"scripts" differs/) });
  });

  it("refuses another user's upload, and a second commit of one", async () => {
    const tarball = await makeTarball({ 'package.json': JSON.stringify({ name: 'once', version: '1.0.0' }) });
    const offered = await offer();
    await upload(offered, tarball);
    const body = await commitBody(offered.id, 'once', tarball);
    const intruder = await createUser(session.server, 'intruder');

    expect((await commit(body, intruder)).status).toBe(403);
    expect((await commit(body)).status).toBe(201);
    const again = await commit(body);
    expect(again.status).toBe(404);
    expect(again.text).toMatch(/already committed/);
  });

  it('refuses an upload above REGISTRY_MAX_UPLOAD, and removes it', async () => {
    const tarball = randomBytes(25 * 1024 * 1024);
    const offered = await offer();
    expect(offered.maxBytes).toBe(24 * 1024 * 1024);
    await upload(offered, tarball);
    const answer = await commit(await commitBody(offered.id, 'oversize', tarball));
    expect(answer.status).toBe(413);
    expect(await pending()).toEqual([]);
  });
});

describe('a registry on file storage', { timeout: 120_000 }, () => {
  const session = useNpmSession({ label: 'no-upload', user: 'plain' });

  it('offers no direct upload, and the release pipeline publishes with npm publish', async () => {
    const offered = await request(session.server, '/-/myorg/v1/uploads', {
      method: 'POST',
      token: session.token,
    });
    const dir = await writePackage(session.work, { name: '@e2e/small', version: '1.0.0' });
    const target = await resolveTarget({ kind: 'registry', url: session.server.url, token: session.token });

    const result = await target.uploader({ name: '@e2e/small', version: '1.0.0', dir }, target, {
      tag: 'latest',
    });

    expect(offered.status).toBe(404);
    expect(result).toBe('published');
    expect((await request(session.server, packagePath('@e2e/small'))).status).toBe(200);
  });
});
