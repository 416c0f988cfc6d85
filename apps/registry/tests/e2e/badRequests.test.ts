import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsonError } from './support/expectJsonError.ts';
import { makeTarball, publishBody, sha1Hex, sha512Integrity, tempDir } from './support/fixtures.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { serverOutputOnFailure } from './support/serverOutputOnFailure.ts';
import { snapshotStorage } from './support/storageSnapshot.ts';
import { directoryStorage } from './support/testStorage.ts';

/** Small enough that a 1 MB body is over it, large enough for every other request here. */
const maxBody = 256 * 1024;
const name = 'e2e-bad';

type Body = Awaited<ReturnType<typeof publishBody>>;

/** A valid publish body for `name@version`, changed by `edit` into the bad request under test. */
async function editedBody(version: string, edit: (body: Body) => unknown, bodyName = name): Promise<unknown> {
  return edit(await publishBody(bodyName, version));
}

/** Replaces the one attachment (and the hashes npm would compute for it) with `bytes`. */
function withTarball(body: Body, bytes: Buffer): Body {
  const [fileName] = Object.keys(body._attachments);
  const manifest = Object.values(body.versions)[0];
  if (!fileName || !manifest) throw new Error('publish body without attachment or version');
  manifest.dist.shasum = sha1Hex(bytes);
  manifest.dist.integrity = sha512Integrity(bytes);
  body._attachments = {
    [fileName]: {
      content_type: 'application/octet-stream',
      data: bytes.toString('base64'),
      length: bytes.length,
    },
  };
  return body;
}

function renameAttachment(body: Body, fileName: string): Body {
  const attachment = Object.values(body._attachments)[0];
  if (!attachment) throw new Error('publish body without attachment');
  body._attachments = { [fileName]: attachment };
  return body;
}

interface BadRequest {
  title: string;
  method: string;
  path: string;
  status: number;
  /** Bearer token to send: the publisher's, none, or one the registry never issued. */
  auth?: 'publisher' | 'none' | 'unknown';
  body?: () => Promise<unknown> | unknown;
  chunked?: boolean;
  /** What the `error` the client prints must say, where it matters which field was refused. */
  error?: RegExp;
}

/**
 * A publish to `path` (`name`'s) whose body is a valid one for `version` (2.0.0) changed by `edit`;
 * refused with 400 unless said.
 */
function badPublish(
  title: string,
  edit: (body: Body) => unknown,
  options: Pick<BadRequest, 'auth' | 'chunked' | 'error'> & {
    status?: number;
    version?: string;
    bodyName?: string;
    path?: string;
  } = {},
): BadRequest {
  const { status = 400, version = '2.0.0', bodyName, path = `/${name}`, ...rest } = options;
  return {
    title,
    method: 'PUT',
    path,
    status,
    ...rest,
    body: () => editedBody(version, edit, bodyName),
  };
}

/** An unchanged 1.0.0 publish sent to `path`, a URL naming `bodyName` that would leave the package folder. */
function escapingPublish(title: string, path: string, bodyName: string, status = 400): BadRequest {
  return badPublish(title, (body) => body, { path, version: '1.0.0', bodyName, status });
}

/** Changes the manifest of the one version a publish body holds. */
function editManifest(edit: (manifest: Body['versions'][string]) => void): (body: Body) => Body {
  return (body) => {
    const manifest = Object.values(body.versions)[0];
    if (!manifest) throw new Error('publish body without a version');
    edit(manifest);
    return body;
  };
}

/**
 * A publish whose manifest gets `manifestFields` and whose tarball's package.json is that manifest
 * with `packageJsonFields` over it (no package.json at all when undefined): manifest confusion.
 */
function confusedPublish(
  title: string,
  manifestFields: Record<string, unknown>,
  packageJsonFields: Record<string, unknown> | undefined,
  error: RegExp,
): BadRequest {
  return badPublish(
    title,
    async (body) => {
      const manifest = Object.values(body.versions)[0];
      if (!manifest) throw new Error('publish body without a version');
      Object.assign(manifest, manifestFields);
      const { _id, dist, ...packageJson } = manifest;
      const files: Record<string, string> = { 'index.js': 'module.exports = 1;\n' };
      if (packageJsonFields) files['package.json'] = JSON.stringify({ ...packageJson, ...packageJsonFields });
      return withTarball(body, await makeTarball(files));
    },
    { error },
  );
}

const badRequests: BadRequest[] = [
  {
    title: 'malformed JSON',
    method: 'PUT',
    path: `/${name}`,
    status: 400,
    body: () => '{"name": "e2e-bad", "versions": {',
  },
  { title: 'a JSON array as the body', method: 'PUT', path: `/${name}`, status: 400, body: () => '[]' },
  {
    title: 'a JSON string as the body',
    method: 'PUT',
    path: `/${name}`,
    status: 400,
    body: () => '"e2e-bad"',
  },
  badPublish('versions as a string', (body) => ({ ...body, versions: '2.0.0' })),
  badPublish('dist-tags as an array', (body) => ({ ...body, 'dist-tags': ['2.0.0'] })),
  badPublish('a version manifest that is a string', (body) => ({
    ...body,
    versions: { '2.0.0': 'e2e-bad@2.0.0' },
  })),
  badPublish('attachment data that is a number', (body) => ({
    ...body,
    _attachments: { 'e2e-bad-2.0.0.tgz': { content_type: 'application/octet-stream', data: 42, length: 2 } },
  })),
  badPublish('a version that is not semver', (body) => body, { version: 'not-a-version' }),
  escapingPublish('a name with ..%2f in the URL', '/..%2f..%2fescaped', '../../escaped'),
  // No route has that many segments: refused before any name is read.
  escapingPublish('a name with ../ segments in the URL', '/@e2e/../../escaped', '@e2e/../../escaped', 404),
  escapingPublish('a name with %2e%2e in the URL', '/%2e%2e%2f%2e%2e%2fescaped', '../../escaped'),
  escapingPublish('a scoped name with %2e%2e segments', '/@e2e%2f%2e%2e', '@e2e/..'),
  badPublish('an attachment named ../../escaped.tgz', (body) => renameAttachment(body, '../../escaped.tgz')),
  badPublish('an attachment named with a path inside the package folder', (body) =>
    renameAttachment(body, `${name}/../../${name}-2.0.0.tgz`),
  ),
  badPublish('an attachment named for another version', (body) =>
    renameAttachment(body, `${name}-3.0.0.tgz`),
  ),
  badPublish('an attachment that is not gzip (hashes correct)', (body) =>
    withTarball(body, Buffer.from('package/package.json, uncompressed')),
  ),
  badPublish('a truncated gzip attachment (hashes correct)', (body) =>
    withTarball(body, gzipSync(Buffer.alloc(4096, 'x')).subarray(0, 40)),
  ),
  badPublish(
    'a wrong dist.shasum',
    editManifest((manifest) => {
      manifest.dist.shasum = sha1Hex(Buffer.from('something else'));
    }),
  ),
  badPublish(
    'a wrong dist.integrity',
    editManifest((manifest) => {
      manifest.dist.integrity = sha512Integrity(Buffer.from('something else'));
    }),
  ),
  badPublish(
    'a dist.integrity that is not sha512',
    editManifest((manifest) => {
      manifest.dist.integrity = 'sha512-not*base64';
    }),
  ),
  badPublish('a URL name different from the body name', (body) => body, { bodyName: 'e2e-other' }),
  badPublish(
    'a manifest name different from the package name',
    editManifest((manifest) => {
      manifest.name = 'e2e-other';
    }),
  ),
  badPublish(
    'a manifest version different from its key',
    editManifest((manifest) => {
      manifest.version = '2.0.1';
    }),
  ),
  confusedPublish(
    'a tarball whose package.json names another package',
    {},
    { name: 'e2e-other' },
    /manifest's name "e2e-bad" differs from the name in the tarball's package.json, "e2e-other"/,
  ),
  confusedPublish(
    'a tarball whose package.json has another version',
    {},
    { version: '2.0.1' },
    /manifest's version "2\.0\.0" differs from the version in the tarball's package.json, "2\.0\.1"/,
  ),
  confusedPublish(
    'a tarball whose package.json has other scripts',
    { scripts: { test: 'node test.js' } },
    { scripts: { test: 'node test.js', preinstall: 'node steal.js' } },
    /"scripts" differs/,
  ),
  confusedPublish(
    'a manifest without scripts hiding the postinstall script of its tarball',
    {},
    { scripts: { postinstall: 'node steal.js' } },
    /"scripts" differs/,
  ),
  confusedPublish(
    'a tarball whose package.json has other dependencies',
    { dependencies: { 'e2e-pad': '^1.0.0' } },
    { dependencies: { 'e2e-pad': '^1.0.0', 'e2e-evil': '*' } },
    /"dependencies" differs/,
  ),
  confusedPublish(
    'a tarball whose package.json links another bin',
    { bin: { 'e2e-bad': 'cli.js' } },
    { bin: { 'e2e-bad': 'steal.js' } },
    /"bin" differs/,
  ),
  confusedPublish('a tarball without package.json', {}, undefined, /holds no package.json/),
  badPublish('a publish without an attachment', ({ _attachments, ...body }) => body),
  {
    title: 'two versions in one publish',
    method: 'PUT',
    path: `/${name}`,
    status: 400,
    body: async () => {
      const first = await publishBody(name, '2.0.0');
      const second = await publishBody(name, '2.0.1');
      return {
        ...first,
        versions: { ...first.versions, ...second.versions },
        _attachments: { ...first._attachments, ...second._attachments },
      };
    },
  },
  badPublish('a publish over the version already there', (body) => body, { version: '1.0.0', status: 409 }),
  badPublish(
    `a body over REGISTRY_MAX_BODY (${maxBody} bytes) with Content-Length`,
    (body) => ({ ...body, readme: 'x'.repeat(4 * maxBody) }),
    { status: 413 },
  ),
  badPublish(
    'a streamed body over REGISTRY_MAX_BODY without Content-Length',
    (body) => ({ ...body, readme: 'x'.repeat(4 * maxBody) }),
    { status: 413, chunked: true },
  ),
  badPublish('an anonymous publish', (body) => body, { status: 401, auth: 'none' }),
  badPublish('a publish with a token the registry never issued', (body) => body, {
    status: 401,
    auth: 'unknown',
  }),
  {
    title: 'an anonymous dist-tag change',
    method: 'PUT',
    path: `/-/package/${name}/dist-tags/beta`,
    status: 401,
    auth: 'none',
    body: () => JSON.stringify('1.0.0'),
  },
  {
    title: 'an anonymous dist-tag removal',
    method: 'DELETE',
    path: `/-/package/${name}/dist-tags/latest`,
    status: 401,
    auth: 'none',
  },
  { title: 'an anonymous unpublish', method: 'DELETE', path: `/${name}/-rev/1-0`, status: 401, auth: 'none' },
  {
    title: 'an anonymous tarball removal',
    method: 'DELETE',
    path: `/${name}/-/${name}-1.0.0.tgz/-rev/1-0`,
    status: 401,
    auth: 'none',
  },
  {
    title: 'an anonymous token creation',
    method: 'POST',
    path: '/-/npm/v1/tokens',
    status: 401,
    auth: 'none',
    body: () => ({ password: 'whatever-password', readonly: false, cidr_whitelist: [] }),
  },
  {
    title: 'a dist-tag pointing at a missing version',
    method: 'PUT',
    path: `/-/package/${name}/dist-tags/beta`,
    status: 400,
    body: () => JSON.stringify('9.9.9'),
  },
  {
    title: 'a dist-tag body that is not a version string',
    method: 'PUT',
    path: `/-/package/${name}/dist-tags/beta`,
    status: 400,
    body: () => JSON.stringify({ version: '1.0.0' }),
  },
  {
    title: 'removing the latest dist-tag',
    method: 'DELETE',
    path: `/-/package/${name}/dist-tags/latest`,
    status: 400,
  },
  { title: 'an unknown route', method: 'GET', path: '/-/no-such-endpoint', status: 404, auth: 'none' },
  {
    title: 'an unknown route under /-/v1',
    method: 'GET',
    path: '/-/v1/no-such-endpoint',
    status: 404,
    auth: 'none',
  },
  {
    title: 'a read of a package path with ..%2f',
    method: 'GET',
    path: '/..%2f..%2fpackage.json',
    status: 400,
    auth: 'none',
  },
  {
    title: 'a read of a tarball path with ..%2f',
    method: 'GET',
    path: `/${name}/-/..%2f..%2f${name}%2fpackage.json`,
    status: 400,
    auth: 'none',
  },
  { title: 'POST to a package', method: 'POST', path: `/${name}`, status: 405, body: () => ({}) },
  { title: 'DELETE on ping', method: 'DELETE', path: '/-/ping', status: 405 },
  { title: 'PUT on whoami', method: 'PUT', path: '/-/whoami', status: 405, body: () => ({}) },
];

describe('bad requests at the HTTP level', { timeout: 60_000 }, () => {
  let server: RegistryServer;
  serverOutputOnFailure(() => [server]);
  let token: string;
  /** Storage sits three levels below this folder, so a write escaping it by `../` shows up here too. */
  let watched: string;

  beforeAll(async () => {
    watched = await tempDir('bad-requests');
    const storageDir = join(watched, 'outer', 'inner', 'storage');
    await mkdir(storageDir, { recursive: true });
    server = await startRegistry({
      storage: directoryStorage(storageDir),
      env: { REGISTRY_MAX_BODY: String(maxBody) },
    });
    token = await createUser(server, 'prober');
    const first = await request(server, packagePath(name), {
      method: 'PUT',
      token,
      body: await publishBody(name, '1.0.0'),
    });
    expect(first.status, first.text).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (watched) await rm(watched, { recursive: true, force: true });
  }, 30_000);

  it.each(badRequests)('answers $title with $status, a JSON error and no storage change', async (bad) => {
    // Prepare
    const body = await bad.body?.();
    const auth = bad.auth ?? 'publisher';
    const bearer = auth === 'publisher' ? token : auth === 'unknown' ? 'never-issued-token' : undefined;
    const before = await snapshotStorage(directoryStorage(watched));

    // Act
    const result = await request(server, bad.path, {
      method: bad.method,
      token: bearer,
      body,
      chunked: bad.chunked,
    });

    // Assess
    expectJsonError(result, bad.status);
    if (bad.error) expect((result.json as { error: string }).error).toMatch(bad.error);
    if (bad.status === 405) expect(result.headers.allow, 'a 405 names the allowed methods').toBeTruthy();
    expect(await snapshotStorage(directoryStorage(watched))).toEqual(before);
  });

  it('still answers /-/ping and serves the package unchanged after all of that', async () => {
    // Act
    const ping = await request(server, '/-/ping');
    const packument = await request(server, packagePath(name));

    // Assess
    expect(ping.status).toBe(200);
    expect(packument.status).toBe(200);
    expect(Object.keys((packument.json as { versions: object }).versions)).toEqual(['1.0.0']);
    expect((packument.json as { 'dist-tags': object })['dist-tags']).toEqual({ latest: '1.0.0' });
  });
});
