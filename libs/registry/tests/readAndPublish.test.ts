import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, type VersionJson } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';

const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
let registry: TestRegistry;

beforeEach(async () => {
  registry = await startRegistry({ now: () => new Date('2024-05-01T10:00:00.000Z') });
});

afterEach(async () => {
  await registry.close();
});

describe('publish and read', () => {
  it('publishes a scoped package and serves it with absolute tarball URLs', async () => {
    // Prepare
    const body = publishBody('@scope/demo', '1.0.0', {
      manifest: { description: 'a demo', keywords: ['x'], license: 'MIT' },
      readme: '# Demo',
    });

    // Act
    const published = await publish(registry, body);
    const document = await json(await registry.request('/@scope%2fdemo'));

    // Assess
    expect(published.status).toBe(201);
    expect(document).toMatchObject({
      _id: '@scope/demo',
      name: '@scope/demo',
      description: 'a demo',
      license: 'MIT',
      readme: '# Demo',
      'dist-tags': { latest: '1.0.0' },
      maintainers: [{ name: 'alice', email: '' }],
      time: {
        created: '2024-05-01T10:00:00.000Z',
        modified: '2024-05-01T10:00:00.000Z',
        '1.0.0': '2024-05-01T10:00:00.000Z',
      },
    });
    expect(document._rev).toMatch(/^1-[0-9a-f]{32}$/);
    expect(document.versions['1.0.0']!.dist.tarball).toBe(`${registry.url}/@scope/demo/-/demo-1.0.0.tgz`);
    expect(document.versions['1.0.0']!._npmUser).toEqual({ name: 'alice', email: '' });
    expect(document.versions['1.0.0']).not.toHaveProperty('readme');
    expect(document).not.toHaveProperty('_attachments');
  });

  it('stores tarball paths relative, so a new address needs no migration', async () => {
    // Prepare
    await publish(registry, publishBody('demo', '1.0.0'));

    // Act
    const stored = JSON.parse((await registry.storage.get('packuments/demo.json'))!.body.toString());
    const elsewhere = await json(
      await registry.request('/demo', {
        headers: { 'x-forwarded-host': 'npm.example.test', 'x-forwarded-proto': 'https' },
      }),
    );

    // Assess
    expect(stored.versions['1.0.0']!.dist.tarball).toBe('demo/-/demo-1.0.0.tgz');
    expect(elsewhere.versions['1.0.0']!.dist.tarball).toBe('https://npm.example.test/demo/-/demo-1.0.0.tgz');
  });

  it('serves the abbreviated form with install fields only', async () => {
    // Prepare
    const manifest = {
      description: 'not for installs',
      dependencies: { a: '^1.0.0' },
      peerDependenciesMeta: { b: { optional: true } },
      engines: { node: '>=20' },
      os: ['linux'],
      scripts: { test: 'vitest' },
    };
    await publish(registry, publishBody('demo', '1.0.0', { manifest, readme: 'long readme' }));

    // Act
    const response = await registry.request('/demo', { headers: { accept: ABBREVIATED } });
    const document = await json(response);

    // Assess
    expect(response.headers.get('content-type')).toBe('application/vnd.npm.install-v1+json');
    expect(response.headers.get('vary')).toMatch(/^accept\b/);
    expect(Object.keys(document).sort()).toEqual(['dist-tags', 'modified', 'name', 'versions']);
    expect(document.modified).toBe('2024-05-01T10:00:00.000Z');
    expect(document.versions['1.0.0']).toEqual({
      name: 'demo',
      version: '1.0.0',
      dependencies: { a: '^1.0.0' },
      peerDependenciesMeta: { b: { optional: true } },
      engines: { node: '>=20' },
      os: ['linux'],
      dist: expect.objectContaining({ tarball: `${registry.url}/demo/-/demo-1.0.0.tgz` }),
    });
  });

  it('says which versions run install scripts, since the abbreviated form has no scripts', async () => {
    // Prepare
    await publish(
      registry,
      publishBody('demo', '1.0.0', { manifest: { scripts: { test: 'vitest' }, hasInstallScript: true } }),
    );
    await publish(
      registry,
      publishBody('demo', '1.1.0', { manifest: { scripts: { postinstall: 'node setup.js' } } }),
    );

    // Act
    const document = await json(await registry.request('/demo', { headers: { accept: ABBREVIATED } }));

    // Assess
    expect(document.versions['1.0.0']).not.toHaveProperty('hasInstallScript');
    expect(document.versions['1.1.0']!.hasInstallScript).toBe(true);
  });

  it('serves a version by number or by dist-tag', async () => {
    // Prepare
    await publish(registry, publishBody('demo', '1.0.0'));
    await publish(registry, publishBody('demo', '2.0.0-rc.1', { tag: 'next' }));

    // Act
    const byVersion = await json<VersionJson>(await registry.request('/demo/1.0.0'));
    const byTag = await json<VersionJson>(await registry.request('/demo/next'));
    const missing = await registry.request('/demo/3.0.0');
    const prototypeKey = await registry.request('/demo/constructor');

    // Assess
    expect(byVersion).toMatchObject({ name: 'demo', version: '1.0.0', _id: 'demo@1.0.0' });
    expect(byVersion.dist.tarball).toBe(`${registry.url}/demo/-/demo-1.0.0.tgz`);
    expect(byTag.version).toBe('2.0.0-rc.1');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ error: 'version not found: demo@3.0.0' });
    expect(prototypeKey.status).toBe(404);
  });

  it('answers 404 for a package that does not exist', async () => {
    // Act
    const response = await registry.request('/nothing-here');

    // Assess
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: 'no such package available', code: 'E404' });
  });

  it('answers HEAD without a body and 304 for a known ETag', async () => {
    // Prepare
    await publish(registry, publishBody('demo', '1.0.0'));
    const first = await registry.request('/demo');
    const etag = first.headers.get('etag')!;

    // Act
    const head = await registry.request('/demo', { method: 'HEAD' });
    const notModified = await registry.request('/demo', { headers: { 'if-none-match': etag } });

    // Assess
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(first.headers.get('content-length'));
    expect(await head.text()).toBe('');
    expect(notModified.status).toBe(304);
  });

  it('changes the ETag when the package changes', async () => {
    // Prepare
    await publish(registry, publishBody('demo', '1.0.0'));
    const before = (await registry.request('/demo')).headers.get('etag');

    // Act
    await publish(registry, publishBody('demo', '1.0.1'));
    const after = await registry.request('/demo', { headers: { 'if-none-match': before! } });

    // Assess
    expect(after.status).toBe(200);
    expect(Object.keys((await json(after)).versions)).toEqual(['1.0.0', '1.0.1']);
  });

  it('compresses with gzip or brotli as the client asks', async () => {
    // Prepare
    await publish(registry, publishBody('demo', '1.0.0', { readme: 'words '.repeat(500) }));
    const plain = await (await registry.request('/demo')).text();

    // Act
    const gzip = await registry.raw('/demo', { 'accept-encoding': 'gzip' });
    const brotli = await registry.raw('/demo', { 'accept-encoding': 'gzip, deflate, br' });

    // Assess
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toBe('accept, accept-encoding');
    expect(gunzipSync(gzip.body).toString()).toBe(plain);
    expect(brotliDecompressSync(brotli.body).toString()).toBe(plain);
  });

  it('streams the exact bytes that were published, with HEAD and 304', async () => {
    // Prepare
    const body = publishBody('@scope/demo', '1.0.0');
    await publish(registry, body);
    const expected = Buffer.from(body._attachments['@scope/demo-1.0.0.tgz']!.data, 'base64');

    // Act
    const response = await registry.request('/@scope/demo/-/demo-1.0.0.tgz');
    const bytes = Buffer.from(await response.arrayBuffer());
    const head = await registry.request('/@scope/demo/-/demo-1.0.0.tgz', { method: 'HEAD' });
    const again = await registry.request('/@scope%2fdemo/-/demo-1.0.0.tgz', {
      headers: { 'if-none-match': response.headers.get('etag')! },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('etag')).toBe(`"${body.versions['1.0.0']!.dist.shasum}"`);
    expect(bytes.equals(expected)).toBe(true);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(expected.length));
    expect(again.status).toBe(304);
  });

  it('answers 404 for tarballs of unknown versions and 400 for file names of other packages', async () => {
    // Prepare
    await publish(registry, publishBody('demo', '1.0.0'));

    // Act
    const unknownVersion = await registry.request('/demo/-/demo-9.9.9.tgz');
    const otherPackage = await registry.request('/demo/-/other-1.0.0.tgz');
    const unknownPackage = await registry.request('/nothing/-/nothing-1.0.0.tgz');

    // Assess
    expect(unknownVersion.status).toBe(404);
    expect(await json(unknownVersion)).toMatchObject({ error: 'no such tarball: demo-9.9.9.tgz' });
    expect(otherPackage.status).toBe(400);
    expect(unknownPackage.status).toBe(404);
  });

  it('points latest at the first version even when it was published with another tag', async () => {
    // Act
    await publish(registry, publishBody('demo', '1.0.0-beta.1', { tag: 'beta' }));
    await publish(registry, publishBody('demo', '1.0.0-beta.2', { tag: 'beta' }));
    const document = await json(await registry.request('/demo'));

    // Assess
    expect(document['dist-tags']).toEqual({ beta: '1.0.0-beta.2', latest: '1.0.0-beta.1' });
  });

  it('moves latest on a plain publish and leaves it on a tagged one', async () => {
    // Act
    await publish(registry, publishBody('demo', '1.0.0'));
    await publish(registry, publishBody('demo', '2.0.0'));
    await publish(registry, publishBody('demo', '3.0.0-rc.1', { tag: 'next' }));
    const document = await json(await registry.request('/demo'));

    // Assess
    expect(document['dist-tags']).toEqual({ latest: '2.0.0', next: '3.0.0-rc.1' });
    expect(document._rev).toMatch(/^3-/);
  });

  it('answers ping', async () => {
    // Act
    const response = await registry.request('/-/ping');

    // Assess
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({});
  });
});

describe('mounted under a path', () => {
  it('serves under the path of REGISTRY_PUBLIC_URL, with or without the prefix in requests', async () => {
    // Prepare
    const mounted = await startRegistry({ publicUrl: 'https://npm.example.test/registry/' });
    try {
      await mounted.request('/registry/demo', {
        method: 'PUT',
        token: 'writer-token',
        json: publishBody('demo', '1.0.0'),
      });

      // Act
      const withPrefix = await json(await mounted.request('/registry/demo'));
      const stripped = await mounted.request('/demo');
      const tarball = await mounted.request('/registry/demo/-/demo-1.0.0.tgz');

      // Assess
      expect(withPrefix.versions['1.0.0']!.dist.tarball).toBe(
        'https://npm.example.test/registry/demo/-/demo-1.0.0.tgz',
      );
      expect(stripped.status).toBe(200);
      expect(tarball.status).toBe(200);
    } finally {
      await mounted.close();
    }
  });

  it('builds URLs from X-Forwarded-Prefix behind a proxy that strips it', async () => {
    // Prepare
    await publish(registry, publishBody('demo', '1.0.0'));

    // Act
    const document = await json(
      await registry.request('/demo', {
        headers: { 'x-forwarded-prefix': '/npm', 'x-forwarded-host': 'proxy.test' },
      }),
    );

    // Assess
    expect(document.versions['1.0.0']!.dist.tarball).toBe('http://proxy.test/npm/demo/-/demo-1.0.0.tgz');
  });
});
