import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsonError } from './support/expectJsonError.ts';
import { publishBody, sha512Integrity } from './support/fixtures.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { serverOutputOnFailure } from './support/serverOutputOnFailure.ts';

const abbreviated = 'application/vnd.npm.install-v1+json';

interface Packument {
  name: string;
  modified?: string;
  readme?: string;
  time?: Record<string, string>;
  'dist-tags': Record<string, string>;
  versions: Record<
    string,
    { version: string; readme?: string; dist: { tarball: string; integrity: string } }
  >;
}

/**
 * What npm and pnpm read, checked below the clients: the two packument forms, conditional and
 * compressed responses, the name forms npm sends, and tarball URLs built per request.
 */
describe.each(['e2e-read', '@e2e/read'])('reading %s over HTTP', { timeout: 60_000 }, (name) => {
  let server: RegistryServer;
  serverOutputOnFailure(() => [server]);
  let token: string;

  beforeAll(async () => {
    server = await startRegistry();
    token = await createUser(server, 'reader');
    for (const [version, tag, scripts] of [
      ['1.0.0', 'latest', { test: 'node index.js' }],
      ['1.1.0', 'latest', { test: 'node index.js' }],
      ['2.0.0-rc.1', 'next', { postinstall: 'node index.js' }],
    ] as const) {
      const body = await publishBody(name, version, {
        tag,
        manifest: {
          description: 'read me',
          readme: '# A long readme',
          scripts,
          dependencies: { 'e2e-dep': '^1.0.0' },
        },
      });
      const result = await request(server, packagePath(name), { method: 'PUT', token, body });
      expect(result.status, result.text).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  it('serves the full packument with times, tags and every version', async () => {
    // Act
    const result = await request(server, packagePath(name));
    const packument = result.json as Packument;

    // Assess
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(packument.name).toBe(name);
    expect(packument['dist-tags']).toEqual({ latest: '1.1.0', next: '2.0.0-rc.1' });
    expect(Object.keys(packument.versions)).toEqual(['1.0.0', '1.1.0', '2.0.0-rc.1']);
    expect(Object.keys(packument.time ?? {})).toEqual(
      expect.arrayContaining(['created', 'modified', '1.0.0', '1.1.0', '2.0.0-rc.1']),
    );
  });

  it('serves the abbreviated packument for the install Accept header: install fields, modified, no readme', async () => {
    // Act
    const result = await request(server, packagePath(name), {
      headers: { accept: `${abbreviated}, application/json; q=0.8, */*` },
    });
    const packument = result.json as Packument;

    // Assess
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^application\/vnd\.npm\.install-v1\+json/);
    expect(packument.modified).toEqual(expect.any(String));
    expect(packument.readme).toBeUndefined();
    expect(packument.time).toBeUndefined();
    expect(packument['dist-tags']).toEqual({ latest: '1.1.0', next: '2.0.0-rc.1' });
    const version = packument.versions['1.1.0'];
    expect(version?.readme).toBeUndefined();
    expect(version).not.toHaveProperty('scripts');
    expect(version).not.toHaveProperty('description');
    expect(version).toMatchObject({ name, version: '1.1.0', dependencies: { 'e2e-dep': '^1.0.0' } });
    expect(version?.dist.integrity).toMatch(/^sha512-/);
    // Scripts are left out, so the registry says whether install scripts exist, as npm's own does.
    expect(version).not.toHaveProperty('hasInstallScript');
    expect(packument.versions['2.0.0-rc.1']).toMatchObject({ hasInstallScript: true });
    expect(result.headers.vary ?? '').toMatch(/accept/i);
  });

  it('accepts the scoped name with an encoded or a plain slash alike', async () => {
    // Act
    const encoded = await request(server, packagePath(name));
    const plain = await request(server, `/${name}`);
    const upper = await request(server, `/${name.replace('/', '%2F')}`);

    // Assess
    expect(plain.status).toBe(200);
    expect(upper.status).toBe(200);
    expect(plain.json).toEqual(encoded.json);
    expect(upper.json).toEqual(encoded.json);
  });

  it('serves one version by number and by dist-tag', async () => {
    // Act
    const byNumber = await request(server, `${packagePath(name)}/1.0.0`);
    const byTag = await request(server, `${packagePath(name)}/next`);
    const missing = await request(server, `${packagePath(name)}/3.0.0`);

    // Assess
    expect(byNumber.status).toBe(200);
    expect((byNumber.json as { version: string }).version).toBe('1.0.0');
    expect((byTag.json as { version: string }).version).toBe('2.0.0-rc.1');
    expectJsonError(missing, 404);
  });

  it('answers HEAD like GET without a body', async () => {
    // Act
    const get = await request(server, packagePath(name));
    const head = await request(server, packagePath(name), { method: 'HEAD' });

    // Assess
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(get.headers.etag);
  });

  it('answers a matching If-None-Match with 304, and with 200 and a new ETag once the package changed', async () => {
    // Prepare
    const first = await request(server, packagePath(name));
    const etag = first.headers.etag ?? '';
    const abbreviatedFirst = await request(server, packagePath(name), { headers: { accept: abbreviated } });

    // Act
    const unchanged = await request(server, packagePath(name), { headers: { 'if-none-match': etag } });
    const tagPath = `/-/package/${packagePath(name).slice(1)}/dist-tags/etag-probe`;
    await request(server, tagPath, { method: 'PUT', token, body: JSON.stringify('1.0.0') });
    const changed = await request(server, packagePath(name), { headers: { 'if-none-match': etag } });
    await request(server, tagPath, { method: 'DELETE', token });

    // Assess
    expect(etag).not.toBe('');
    expect(unchanged.status).toBe(304);
    expect(unchanged.body.length).toBe(0);
    expect(abbreviatedFirst.headers.etag, 'the two forms are different documents').not.toBe(etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect((changed.json as Packument)['dist-tags']['etag-probe']).toBe('1.0.0');
  });

  it.each([
    { encoding: 'gzip', decode: gunzipSync },
    { encoding: 'br', decode: brotliDecompressSync },
  ])('compresses the packument with $encoding when asked', async ({ encoding, decode }) => {
    // Act
    const plain = await request(server, packagePath(name));
    const compressed = await request(server, packagePath(name), { headers: { 'accept-encoding': encoding } });

    // Assess
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe(encoding);
    expect(JSON.parse(decode(compressed.body).toString('utf8'))).toEqual(plain.json);
  });

  it('streams a tarball whose bytes match dist.integrity', async () => {
    // Prepare
    const dist = ((await request(server, packagePath(name))).json as Packument).versions['1.1.0']?.dist ?? {
      tarball: '',
      integrity: '',
    };

    // Act
    const tarball = await request(server, new URL(dist.tarball).pathname);

    // Assess
    expect(tarball.status).toBe(200);
    expect(sha512Integrity(tarball.body)).toBe(dist.integrity);
  });

  it('builds tarball URLs from the request: Host, then X-Forwarded-* with a path prefix', async () => {
    // Act
    const byHost = (
      await request(server, packagePath(name), { headers: { host: 'registry.example.test:8080' } })
    ).json as Packument;
    const forwarded = (
      await request(server, packagePath(name), {
        headers: {
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'npm.example.test',
          'x-forwarded-prefix': '/npm',
        },
      })
    ).json as Packument;

    // Assess
    const unscoped = name.split('/').pop();
    expect(byHost.versions['1.0.0']?.dist.tarball).toBe(
      `http://registry.example.test:8080/${name}/-/${unscoped}-1.0.0.tgz`,
    );
    expect(forwarded.versions['1.0.0']?.dist.tarball).toBe(
      `https://npm.example.test/npm/${name}/-/${unscoped}-1.0.0.tgz`,
    );
  });

  it('finds the package through /-/v1/search in npm’s response shape', async () => {
    // Act
    const result = await request(server, '/-/v1/search?text=read&size=5&from=0');
    const body = result.json as {
      objects: { package: { name: string; version: string } }[];
      total: number;
      time: string;
    };

    // Assess
    expect(result.status).toBe(200);
    expect(body.total).toBe(1);
    expect(body.time).toEqual(expect.any(String));
    expect(body.objects[0]?.package).toMatchObject({ name, version: '1.1.0', description: 'read me' });
  });
});

describe('tarball URLs with REGISTRY_PUBLIC_URL', { timeout: 60_000 }, () => {
  let server: RegistryServer;
  serverOutputOnFailure(() => [server]);

  beforeAll(async () => {
    server = await startRegistry({ env: { REGISTRY_PUBLIC_URL: 'https://npm.example.test/private/' } });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  it('uses the configured public URL, whatever the Host header says', async () => {
    // Prepare
    const token = await createUser(server, 'public');
    await request(server, '/e2e-public', {
      method: 'PUT',
      token,
      body: await publishBody('e2e-public', '1.0.0'),
    });

    // Act
    const packument = (await request(server, '/e2e-public', { headers: { host: 'elsewhere.test' } }))
      .json as Packument;

    // Assess
    expect(packument.versions['1.0.0']?.dist.tarball).toBe(
      'https://npm.example.test/private/e2e-public/-/e2e-public-1.0.0.tgz',
    );
  });
});
