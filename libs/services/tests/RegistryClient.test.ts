import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { GatewayTimeoutError } from '@myorg/error';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPublishConflict, type Manifest, RegistryClient, RegistryError } from '../src/index.ts';
import { closedPort, listen, listenSilently, type RunningServer, sendJson } from './helpers/listen.ts';
import { ABBREVIATED, type RegistryStandIn, startRegistryStandIn } from './helpers/registryStandIn.ts';

const manifest: Manifest = {
  name: '@myorg/widget',
  version: '1.2.0',
  description: 'A widget',
  main: 'index.js',
  dependencies: { tslib: '^2.0.0' },
};
const tarball = new Uint8Array(Buffer.from('pretend this is a gzipped tar of the widget'));

let registry: RegistryStandIn;
let client: RegistryClient;
const extraServers: RunningServer[] = [];

beforeEach(async () => {
  registry = await startRegistryStandIn();
  client = new RegistryClient({ registry: registry.url, token: registry.token, retryDelayMs: 10 });
});

afterEach(async () => {
  await registry.close();
  await Promise.all(extraServers.splice(0).map((server) => server.close()));
});

/** Hands `server` back, to be closed after the test. */
function closeAfterTest<T extends RunningServer>(server: T): T {
  extraServers.push(server);
  return server;
}

async function startServer(...args: Parameters<typeof listen>): Promise<RunningServer> {
  return closeAfterTest(await listen(...args));
}

describe('RegistryClient.publish', () => {
  it('sends the body npm sends, with digests of the tarball and the scoped name escaped in the URL', async () => {
    // Act
    await client.publish(manifest, tarball, { tag: 'next', access: 'restricted' });

    // Assess
    const put = registry.requests.find((request) => request.method === 'PUT');
    expect(put?.url).toBe('/npm/@myorg%2fwidget');
    expect(put?.headers['content-type']).toBe('application/json');
    expect(put?.headers.authorization).toBe(`Bearer ${registry.token}`);
    const body = JSON.parse(put!.body.toString('utf8'));
    const bytes = Buffer.from(tarball);
    expect(body).toEqual({
      _id: '@myorg/widget',
      name: '@myorg/widget',
      description: 'A widget',
      'dist-tags': { next: '1.2.0' },
      access: 'restricted',
      versions: {
        '1.2.0': {
          ...manifest,
          _id: '@myorg/widget@1.2.0',
          dist: {
            shasum: createHash('sha1').update(bytes).digest('hex'),
            integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
            tarball: `${registry.url}@myorg/widget/-/widget-1.2.0.tgz`,
          },
        },
      },
      _attachments: {
        'widget-1.2.0.tgz': {
          content_type: 'application/octet-stream',
          data: bytes.toString('base64'),
          length: bytes.length,
        },
      },
    });
  });

  it('tags latest and leaves access out when neither is given', async () => {
    // Act
    await client.publish({ name: 'plain', version: '0.1.0' }, tarball);

    // Assess
    const body = JSON.parse(registry.requests.at(-1)!.body.toString('utf8'));
    expect(body['dist-tags']).toEqual({ latest: '0.1.0' });
    expect(body).not.toHaveProperty('access');
    expect(body).not.toHaveProperty('description');
  });

  it('reports a second publish of the same version as a publish conflict without retrying it', async () => {
    // Prepare
    await client.publish(manifest, tarball);

    // Act
    const error = await client.publish(manifest, tarball).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({
      status: 409,
      code: 'E409',
      method: 'PUT',
      url: `${registry.url}@myorg%2fwidget`,
    });
    expect((error as RegistryError).message).toContain(
      'You cannot publish over the previously published versions',
    );
    expect(isPublishConflict(error)).toBe(true);
    expect(registry.requests.filter((request) => request.method === 'PUT')).toHaveLength(2);
  });

  it('does not retry a publish that met a server error', async () => {
    // Prepare
    registry.canned.push({ status: 503, body: { error: 'busy' }, headers: { 'retry-after': '0' } });

    // Act
    const error = await client.publish(manifest, tarball).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ status: 503, code: 'E503' });
    expect(registry.requests).toHaveLength(1);
  });

  it('names a direct upload in the attachment in place of the data', async () => {
    // Prepare
    const bodies: string[] = [];
    const server = await startServer(async (request, response) => {
      bodies.push((await buffer(request)).toString('utf8'));
      sendJson(response, 201, { ok: true });
    });
    const direct = new RegistryClient({ registry: server.origin });

    // Act
    await direct.publish(manifest, {
      upload: 'upload-id',
      shasum: 'abc',
      integrity: 'sha512-xyz',
      length: 42,
    });

    // Assess
    const body = JSON.parse(bodies[0] ?? '{}');
    expect(body.versions['1.2.0'].dist).toEqual({
      shasum: 'abc',
      integrity: 'sha512-xyz',
      tarball: `${server.origin}/@myorg/widget/-/widget-1.2.0.tgz`,
    });
    expect(body._attachments).toEqual({
      'widget-1.2.0.tgz': { content_type: 'application/octet-stream', upload: 'upload-id', length: 42 },
    });
  });

  it('adds a provenance bundle as npm publish --provenance does: a .sigstore attachment of its JSON text', async () => {
    // Prepare
    const provenance = { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: {} };

    // Act
    await client.publish(manifest, tarball, { provenance });

    // Assess
    const put = registry.requests.find((request) => request.method === 'PUT');
    const attachments = JSON.parse(put?.body.toString('utf8') ?? '{}')._attachments;
    const data = JSON.stringify(provenance);
    expect(Object.keys(attachments)).toEqual(['widget-1.2.0.tgz', '@myorg/widget-1.2.0.sigstore']);
    expect(attachments['@myorg/widget-1.2.0.sigstore']).toEqual({
      content_type: provenance.mediaType,
      data,
      length: data.length,
    });
  });

  it('refuses a manifest without a valid name or version before sending anything', async () => {
    await expect(client.publish({ name: '../etc', version: '1.0.0' }, tarball)).rejects.toMatchObject({
      status: 400,
      code: 'EINVALIDPACKAGENAME',
    });
    await expect(client.publish({ name: 'x'.repeat(215), version: '1.0.0' }, tarball)).rejects.toMatchObject({
      status: 400,
      code: 'EINVALIDPACKAGENAME',
    });
    await expect(client.publish({ name: 'ok', version: '' }, tarball)).rejects.toMatchObject({ status: 400 });
    expect(registry.requests).toHaveLength(0);
  });
});

describe('RegistryClient reads', () => {
  beforeEach(async () => {
    await client.publish(manifest, tarball);
    registry.requests.length = 0;
  });

  it('fetches the full packument with its ETag and raw bytes, authenticated with the Bearer token', async () => {
    // Act
    const result = await client.getPackument('@myorg/widget');

    // Assess
    expect(result?.status).toBe(200);
    if (result?.status !== 200) return;
    expect(result.etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(result.document().versions['1.2.0']?.description).toBe('A widget');
    expect(JSON.parse(result.body.toString('utf8'))).toEqual(result.document());
    const [request] = registry.requests;
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers.authorization).toBe(`Bearer ${registry.token}`);
    expect(request?.headers['user-agent']).toMatch(/^@myorg\/services node\//);
  });

  it('asks for the abbreviated document with the Accept header npm uses', async () => {
    // Act
    const result = await client.getPackument('@myorg/widget', { abbreviated: true });

    // Assess
    expect(registry.requests[0]?.headers.accept).toBe(`${ABBREVIATED}; q=1.0, application/json; q=0.8, */*`);
    if (result?.status !== 200) throw new Error(`expected 200, got ${result?.status}`);
    const document = result.document();
    expect(document.modified).toBeTypeOf('string');
    expect(document.versions['1.2.0']).not.toHaveProperty('description');
  });

  it('answers 304 when the cached ETag still holds, and a fresh copy once it does not', async () => {
    // Prepare
    const first = await client.getPackument('@myorg/widget');
    const etag = first?.status === 200 ? first.etag : undefined;

    // Act
    const unchanged = await client.getPackument('@myorg/widget', { etag });
    await client.publish({ ...manifest, version: '1.3.0' }, tarball);
    const changed = await client.getPackument('@myorg/widget', { etag });

    // Assess
    expect(registry.requests[1]?.headers['if-none-match']).toBe(etag);
    expect(unchanged).toEqual({ status: 304 });
    expect(changed?.status).toBe(200);
  });

  it('answers undefined for a package the registry does not have', async () => {
    await expect(client.getPackument('missing')).resolves.toBeUndefined();
    await expect(client.getManifest('missing', 'latest')).resolves.toBeUndefined();
    await expect(client.hasVersion('missing', '1.0.0')).resolves.toBe(false);
  });

  it('resolves a manifest by dist-tag or exact version, and undefined for an unknown one', async () => {
    await expect(client.getManifest('@myorg/widget', 'latest')).resolves.toMatchObject({ version: '1.2.0' });
    await expect(client.getManifest('@myorg/widget', '1.2.0')).resolves.toMatchObject({
      dist: { tarball: `${registry.url}@myorg/widget/-/widget-1.2.0.tgz` },
    });
    await expect(client.getManifest('@myorg/widget', '9.9.9')).resolves.toBeUndefined();
  });

  it('checks for a published version past every cache', async () => {
    // Act
    const published = await client.hasVersion('@myorg/widget', '1.2.0');
    const unpublished = await client.hasVersion('@myorg/widget', '2.0.0');

    // Assess
    expect([published, unpublished]).toEqual([true, false]);
    expect(registry.requests[0]?.headers['cache-control']).toBe('no-cache');
  });

  it('streams a tarball with its size, byte for byte', async () => {
    // Prepare
    const found = await client.getManifest('@myorg/widget', 'latest');

    // Act
    const download = await client.getTarball(found!.dist!.tarball);
    const bytes = await buffer(download.body);

    // Assess
    expect(download.size).toBe(tarball.length);
    expect(bytes.equals(Buffer.from(tarball))).toBe(true);
    expect(registry.requests.at(-1)?.headers.authorization).toBe(`Bearer ${registry.token}`);
  });

  it('lets a consumer cancel a tarball download it no longer wants, and keeps working', async () => {
    // Prepare
    const download = await client.getTarball('@myorg/widget/-/widget-1.2.0.tgz');

    // Act
    const cancelled = await download.body.return(undefined);
    const again = await buffer((await client.getTarball('@myorg/widget/-/widget-1.2.0.tgz')).body);

    // Assess
    expect(cancelled.done).toBe(true);
    expect(again.equals(Buffer.from(tarball))).toBe(true);
  });

  it('decodes a compressed answer, as fetch would', async () => {
    // Prepare
    const document = { name: 'zipped', 'dist-tags': {}, versions: {} };
    let acceptEncoding: string | undefined;
    const compressing = await startServer((request, response) => {
      acceptEncoding = request.headers['accept-encoding'];
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(JSON.stringify(document)));
    });
    const reader = new RegistryClient({ registry: `${compressing.origin}/` });

    // Act
    const found = await reader.getPackument('zipped');

    // Assess
    expect(found?.status === 200 && found.document()).toEqual(document);
    expect(acceptEncoding).toMatch(/gzip/);
  });

  it('resolves a relative tarball path against the registry', async () => {
    const download = await client.getTarball('@myorg/widget/-/widget-1.2.0.tgz');
    expect((await buffer(download.body)).equals(Buffer.from(tarball))).toBe(true);
  });

  it('raises E404 for a tarball that does not exist', async () => {
    await expect(client.getTarball(`${registry.url}nope/-/nope-1.0.0.tgz`)).rejects.toMatchObject({
      status: 404,
      code: 'E404',
    });
  });

  it('reads, moves and removes dist-tags', async () => {
    // Act
    await client.setDistTag('@myorg/widget', 'beta', '1.2.0');
    const withBeta = await client.distTags('@myorg/widget');
    await client.removeDistTag('@myorg/widget', 'beta');
    const after = await client.distTags('@myorg/widget');

    // Assess
    expect(withBeta).toEqual({ latest: '1.2.0', beta: '1.2.0' });
    expect(after).toEqual({ latest: '1.2.0' });
    const put = registry.requests.find((request) => request.method === 'PUT');
    expect(put?.url).toBe('/npm/-/package/@myorg%2fwidget/dist-tags/beta');
    expect(put?.body.toString('utf8')).toBe('"1.2.0"');
    await expect(client.setDistTag('@myorg/widget', '', '1.2.0')).rejects.toMatchObject({ status: 400 });
  });
});

describe('RegistryClient account calls', () => {
  it('names the user behind the token and pings the registry', async () => {
    await expect(client.whoami()).resolves.toBe('release-bot');
    await expect(client.ping()).resolves.toBe(true);
    expect(registry.requests.map((request) => request.url)).toEqual(['/npm/-/whoami', '/npm/-/ping']);
  });

  it('raises E401 for a wrong token without ever printing the token', async () => {
    // Prepare
    const secret = 'wrong-secret-token';
    const stranger = new RegistryClient({ registry: registry.url, token: secret });

    // Act
    const error = await stranger.whoami().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ status: 401, code: 'E401', body: '{"error":"authentication required"}' });
    expect((error as Error).message).toBe(
      `401 Unauthorized - GET ${registry.url}-/whoami - authentication required`,
    );
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(secret);
  });

  it('sends credentials written into the registry URL as Basic auth and keeps them out of errors', async () => {
    // Prepare
    const withUserInfo = registry.url.replace('http://', 'http://ci:p%40ss@');
    const basic = new RegistryClient({ registry: withUserInfo });

    // Act
    const error = await basic.whoami().catch((caught: unknown) => caught);

    // Assess
    expect(basic.registry).toBe(registry.url);
    expect(registry.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('ci:p@ss').toString('base64')}`,
    );
    expect((error as RegistryError).url).toBe(`${registry.url}-/whoami`);
    expect((error as Error).message).not.toContain('p%40ss');
  });

  it('answers false to a ping when the registry is unreachable', async () => {
    const port = await closedPort();
    const offline = new RegistryClient({ registry: `http://127.0.0.1:${port}/`, retries: 0 });
    await expect(offline.ping()).resolves.toBe(false);
  });

  it('rejects a registry option that is not an absolute URL', () => {
    expect(() => new RegistryClient({ registry: 'registry.internal' })).toThrow(/absolute URL/);
  });
});

describe('RegistryClient.get', () => {
  it('gets a document under the registry and relays the answer, client errors included', async () => {
    // Prepare
    registry.canned.push({ status: 200, body: { keys: [] } }, { status: 404, body: { error: 'none' } });

    // Act
    const keys = await client.get('-/npm/v1/keys');
    const missing = await client.get('-/npm/v1/attestations/left-pad@1.0.0');

    // Assess
    expect(registry.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /npm/-/npm/v1/keys',
      'GET /npm/-/npm/v1/attestations/left-pad@1.0.0',
    ]);
    expect(JSON.parse(keys.body.toString())).toEqual({ keys: [] });
    expect(missing.status).toBe(404);
  });
});

describe('RegistryClient.post', () => {
  it('posts a JSON document under the registry and relays the answer, client errors included', async () => {
    // Prepare
    registry.canned.push(
      { status: 200, body: { advisories: 1 } },
      { status: 400, body: { error: 'bad audit' } },
    );

    // Act
    const ok = await client.post('-/npm/v1/security/advisories/bulk', { 'left-pad': ['1.0.0'] });
    const refused = await client.post('-/npm/v1/security/advisories/bulk', {});

    // Assess
    const [sent] = registry.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/npm/-/npm/v1/security/advisories/bulk' });
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers.authorization).toBe(`Bearer ${registry.token}`);
    expect(JSON.parse(sent?.body.toString() ?? '')).toEqual({ 'left-pad': ['1.0.0'] });
    expect(ok.status).toBe(200);
    expect(ok.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(ok.body.toString())).toEqual({ advisories: 1 });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body.toString())).toEqual({ error: 'bad audit' });
  });

  it('fails on a server error or 429 without retrying', async () => {
    // Prepare
    registry.canned.push(
      { status: 503, body: { error: 'down' } },
      { status: 429, body: { error: 'slow down' } },
    );

    // Act
    const failed = await client.post('-/x', {}).catch((caught: unknown) => caught);
    const throttled = await client.post('-/x', {}).catch((caught: unknown) => caught);

    // Assess
    expect(failed).toBeInstanceOf(RegistryError);
    expect(failed).toMatchObject({ status: 503 });
    expect(throttled).toMatchObject({ status: 429 });
    expect(registry.requests).toHaveLength(2);
  });
});

describe('RegistryClient failures, retries and timeouts', () => {
  it('retries a 503 and returns the answer that follows', async () => {
    // Prepare
    await client.publish(manifest, tarball);
    registry.requests.length = 0;
    registry.canned.push({ status: 503, body: { error: 'upstream busy' }, headers: { 'retry-after': '0' } });

    // Act
    const result = await client.getPackument('@myorg/widget');

    // Assess
    expect(result?.status).toBe(200);
    expect(registry.requests).toHaveLength(2);
  });

  it('gives up after the configured retries with the last error', async () => {
    // Prepare
    for (let i = 0; i < 3; i++) registry.canned.push({ status: 502, body: { error: 'bad gateway' } });

    // Act
    const error = await client.whoami().catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ status: 502, code: 'E502' });
    expect(registry.requests).toHaveLength(3);
  });

  it('does not wait out a Retry-After longer than a minute', async () => {
    // Prepare
    registry.canned.push({ status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '3600' } });

    // Act
    const error = await client.whoami().catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ status: 429, code: 'E429', headers: { 'retry-after': '3600' } });
    expect(registry.requests).toHaveLength(1);
  });

  it('does not retry a client error', async () => {
    registry.canned.push({ status: 400, body: 'plain words' });
    await expect(client.whoami()).rejects.toThrow('400 Bad Request');
    expect(registry.requests).toHaveLength(1);
  });

  it('times out an attempt against a server that never answers, once per retry', async () => {
    // Prepare
    const silent = closeAfterTest(await listenSilently());
    const impatient = new RegistryClient({
      registry: `${silent.origin}/`,
      timeoutMs: 100,
      retries: 1,
      retryDelayMs: 1,
    });

    // Act
    const started = Date.now();
    const error = await impatient.getPackument('anything').catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect(error).toMatchObject({ status: 504, code: 'ETIMEDOUT', details: { method: 'GET' } });
    expect((error as Error).message).toContain('within 100 ms');
    expect(silent.requests).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('times out a tarball download that stalls half way', async () => {
    // Prepare
    const stalling = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write('first chunk');
    });
    const impatient = new RegistryClient({ registry: `${stalling.origin}/`, timeoutMs: 100 });
    const download = await impatient.getTarball('pkg/-/pkg-1.0.0.tgz');

    // Act
    const first = await download.body.next();
    const error = await download.body.next().catch((caught: unknown) => caught);

    // Assess
    expect(Buffer.from(first.value!).toString()).toBe('first chunk');
    expect(download.size).toBeUndefined();
    expect(error).toMatchObject({ status: 504, code: 'ETIMEDOUT' });
  });

  it('keeps ECONNREFUSED as the code when nothing listens', async () => {
    // Prepare
    const port = await closedPort();
    const offline = new RegistryClient({
      registry: `http://127.0.0.1:${port}/npm`,
      retries: 1,
      retryDelayMs: 1,
    });

    // Act
    const error = await offline.whoami().catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ status: 502, code: 'ECONNREFUSED' });
    expect((error as Error).message).toContain(`GET http://127.0.0.1:${port}/npm/-/whoami`);
  });

  it('passes the caller’s own abort through unchanged', async () => {
    // Prepare
    const silent = await startServer(() => {});
    const patient = new RegistryClient({ registry: `${silent.origin}/` });
    const controller = new AbortController();
    const reason = new Error('caller gave up');

    // Act
    const pending = patient.getPackument('anything', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);

    // Assess
    await expect(pending).rejects.toBe(reason);
  });

  it('reports a body that is not JSON as a bad gateway', async () => {
    // Prepare
    const broken = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"name": ');
    });
    const confused = new RegistryClient({ registry: `${broken.origin}/`, retryDelayMs: 1 });

    // Act
    const result = await confused.getPackument('pkg');

    // Assess
    if (result?.status !== 200) throw new Error('expected a 200');
    expect(() => result.document()).toThrow(/invalid JSON/);
    await expect(confused.whoami()).rejects.toMatchObject({ status: 502 });
  });

  it('answers a whoami without a username as a bad gateway', async () => {
    const odd = await startServer((_request, response) => sendJson(response, 200, { user: 'x' }));
    await expect(new RegistryClient({ registry: odd.origin }).whoami()).rejects.toThrow(/no username/);
  });

  it('sends the token only to URLs under the registry', async () => {
    // Prepare
    const seen: (string | undefined)[] = [];
    const elsewhere = await startServer((request, response) => {
      seen.push(request.headers.authorization);
      response.end('bytes');
    });

    // Act
    const download = await client.getTarball(`${elsewhere.origin}/pkg/-/pkg-1.0.0.tgz`);
    await buffer(download.body);

    // Assess
    expect(seen).toEqual([undefined]);
  });

  it('follows a redirect of a tarball to another origin, without the token', async () => {
    // Prepare: registries send tarball downloads on to blob storage.
    const seen: Record<string, string | undefined> = {};
    const blobs = await startServer((request, response) => {
      seen.blobs = request.headers.authorization;
      response.end('tarball bytes');
    });
    const redirecting = await startServer((request, response) => {
      seen.registry = request.headers.authorization;
      response.writeHead(302, { location: `${blobs.origin}/signed/pkg-1.0.0.tgz` }).end();
    });
    const reader = new RegistryClient({ registry: `${redirecting.origin}/`, token: 'secret-token' });

    // Act
    const download = await reader.getTarball('pkg/-/pkg-1.0.0.tgz');

    // Assess
    expect((await buffer(download.body)).toString()).toBe('tarball bytes');
    expect(seen).toEqual({ registry: 'Bearer secret-token', blobs: undefined });
  });

  it('follows a 303 after a write with a GET that carries no body', async () => {
    // Prepare
    const seen: string[] = [];
    const server = await startServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${body} ${request.headers['content-type'] ?? '-'}`);
        if (request.method === 'PUT') response.writeHead(303, { location: '/done' }).end();
        else sendJson(response, 200, { ok: true });
      });
    });
    const writer = new RegistryClient({ registry: `${server.origin}/`, token: 't' });

    // Act
    await writer.setDistTag('pkg', 'next', '1.0.0');

    // Assess
    expect(seen).toEqual(['PUT /-/package/pkg/dist-tags/next "1.0.0" application/json', 'GET /done  -']);
  });

  it('sends a GET again when the server resets a kept-alive connection as it is reused', async () => {
    // Prepare: the server drops each connection when a second request arrives on it.
    const served = new WeakMap<object, number>();
    let resets = 0;
    const closing = await startServer((request, response) => {
      const count = (served.get(request.socket) ?? 0) + 1;
      served.set(request.socket, count);
      if (count > 1) {
        resets += 1;
        request.socket.destroy();
      } else sendJson(response, 200, { name: 'pkg', 'dist-tags': {}, versions: {} });
    });
    const reader = new RegistryClient({ registry: `${closing.origin}/`, retries: 0 });

    // Act
    const first = await reader.getPackument('pkg');
    const second = await reader.getPackument('pkg');

    // Assess
    expect([first?.status, second?.status]).toEqual([200, 200]);
    expect(resets).toBe(1);
  });

  it('gives up on endless redirects with a bad gateway', async () => {
    // Prepare
    const looping = await startServer((request, response) => {
      response.writeHead(301, { location: request.url ?? '/' }).end();
    });
    const reader = new RegistryClient({ registry: `${looping.origin}/`, retries: 0 });

    // Act & Assess
    await expect(reader.getPackument('pkg')).rejects.toMatchObject({ status: 502, code: 'EREDIRECTS' });
  });

  it('refuses a tarball URL that carries credentials, without echoing them', async () => {
    await expect(client.getTarball('http://me:hunter2@127.0.0.1:1/x.tgz')).rejects.toThrow(
      'tarball URL must not carry credentials: http://127.0.0.1:1/x.tgz',
    );
  });
});

describe('RegistryClient.requestUpload', () => {
  const offered = {
    id: '5f0c4f5e-0000-4000-8000-000000000000',
    url: 'http://127.0.0.1:9/bucket/pending/5f0c.tgz?X-Amz-Signature=x',
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    expiresAt: '2030-01-01T00:00:00.000Z',
    maxBytes: 1024,
  };

  it('answers the upload a registry offers, once, with the token', async () => {
    const seen: string[] = [];
    const server = await startServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization}`);
      sendJson(response, 201, offered);
    });
    const direct = new RegistryClient({ registry: server.origin, token: 't0ken' });

    expect(await direct.requestUpload()).toEqual(offered);
    expect(seen).toEqual(['POST /-/myorg/v1/uploads Bearer t0ken']);
  });

  it('answers undefined when the registry offers none (404 or 405)', async () => {
    for (const status of [404, 405]) {
      const server = await startServer((_request, response) => sendJson(response, status, { error: 'no' }));
      expect(await new RegistryClient({ registry: server.origin }).requestUpload()).toBeUndefined();
    }
  });

  it('fails with a 502 on an answer that is not an upload', async () => {
    const server = await startServer((_request, response) =>
      sendJson(response, 201, { ...offered, headers: [1] }),
    );
    await expect(new RegistryClient({ registry: server.origin }).requestUpload()).rejects.toMatchObject({
      status: 502,
    });
  });
});
