import { noopLogger } from '@myorg/logger';
import { createApiGatewayHandler } from '@myorg/middleware';
import { MemoryStorage } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../../src/auth/local/createLocalAuth.ts';
import { createRegistry } from '../../src/createRegistry.ts';
import { BlockList } from '../../src/policy/BlockList.ts';
import { createTestUser } from '../auth/harness.ts';
import { json } from '../support/json.ts';
import { publishBody } from '../support/publishBody.ts';
import { login, publish, startRegistry, type TestRegistry } from '../support/startRegistry.ts';
import { testAuth } from '../support/testAuth.ts';
import { startUpstreamFixture, type UpstreamFixture } from '../upstream/support/upstreamFixture.ts';

const password = 'correct horse battery';
const HTML = { accept: 'text/html,application/xhtml+xml' };
const UI = { 'x-registry-ui': '1' };
let registry: TestRegistry;
let token: string;

const page = (path: string, headers: Record<string, string> = {}) =>
  registry.request(path, { headers: { ...HTML, ...headers }, redirect: 'manual' });

/** A package's page and the document its JSON route serves, to compare what each shows. */
async function pageAndDocument(on: TestRegistry, name: string) {
  const response = await on.request(`/package/${name}`, { headers: HTML });
  const body = await response.text();
  const served = await json<{ versions: object }>(await on.request(`/${name}`));
  return { response, body, served };
}

beforeAll(async () => {
  const storage = new MemoryStorage();
  await createTestUser(storage, { name: 'alice', email: 'alice@example.test', password });
  registry = await startRegistry({ storage, auth: createLocalAuth({ storage, allowRegistration: false }) });
  token = await login(registry, 'alice', password);
  for (let index = 0; index < 25; index += 1) {
    const name = `widget-${String(index).padStart(2, '0')}`;
    expect(
      (
        await publish(
          registry,
          publishBody(name, '1.0.0', { manifest: { description: `Widget ${index}` } }),
          token,
        )
      ).status,
    ).toBe(201);
  }
  const gadget = publishBody('gadget', '2.0.0', {
    manifest: {
      description: 'Gadgets',
      dependencies: { 'widget-01': '^1.0.0', leftpad: '^1.0.0' },
      license: 'MIT',
    },
    readme: '# Gadget\n\nUse it **well**.\n\n<script>window.__pwned = true</script>',
  });
  expect((await publish(registry, gadget, token)).status).toBe(201);
  expect((await publish(registry, publishBody('package', '1.0.0'), token)).status).toBe(201);
});

afterAll(async () => {
  await registry.close();
});

describe('web UI, for npm clients', () => {
  it('changes nothing: `/` is still a JSON 404, and `/package/<tag>` is a version of the package `package`', async () => {
    // Act
    const root = await registry.request('/', { headers: { accept: 'application/json' } });
    const version = await registry.request('/package/latest', { headers: { accept: 'application/json' } });

    // Assess
    expect(root.status).toBe(404);
    expect(root.headers.get('content-type')).toContain('application/json');
    expect(version.status).toBe(200);
    expect(await json<{ name: string; version: string }>(version)).toMatchObject({
      name: 'package',
      version: '1.0.0',
    });
  });
});

describe('web UI pages', () => {
  it('searches with paging, 20 to a page', async () => {
    // Act
    const first = await (await page('/?q=widget')).text();
    const second = await (await page('/?q=widget&from=20')).text();

    // Assess
    expect(first).toContain('Showing 1–20 of 25 packages');
    expect(first).toContain('href="http://127.0.0.1');
    expect(first).toMatch(/<a href="[^"]+\/\?q=widget&amp;from=20">Next/);
    expect(second).toContain('Showing 21–25 of 25 packages');
    expect(second).toContain('widget-24');
  });

  it('shows a package: sanitised README, versions, dist-tags, dependencies, dependents and install commands', async () => {
    // Act
    const response = await page('/package/gadget');
    const body = await response.text();
    const widget = await (await page('/package/widget-01')).text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    expect(body).toContain('<h1>Gadget</h1>');
    expect(body).toContain('<strong>well</strong>');
    expect(body).not.toContain('__pwned');
    expect(body).toContain('npm install gadget');
    expect(body).toContain('pnpm add gadget');
    expect(body).toMatch(/<a href="[^"]+\/package\/widget-01">widget-01<\/a>/);
    expect(body).toContain('leftpad <span');
    expect(body).toContain('<td>latest</td><td>2.0.0</td>');
    expect(body).toContain('Tarball size');
    expect(widget).toMatch(/Dependents in this registry.*<a href="[^"]+\/package\/gadget">gadget<\/a>/s);
  });

  it('answers a missing package with a 404 page', async () => {
    // Act
    const response = await page('/package/nothing-here');

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it('serves the assets with hashed names, compressed, cacheable for a year', async () => {
    // Prepare
    const body = await (await page('/')).text();
    const style = /href="http:\/\/127\.0\.0\.1:\d+(\/-\/ui\/assets\/ui\.[\w-]+\.css)"/.exec(body)?.[1];
    expect(style).toBeDefined();

    // Act
    const response = await registry.raw(style ?? '', { 'accept-encoding': 'br, gzip' });
    const again = await registry.raw(style ?? '', { 'if-none-match': String(response.headers.etag) });
    const wrongHash = await registry.request('/-/ui/assets/ui.0000.css');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(again.status).toBe(304);
    expect(wrongHash.status).toBe(404);
  });
});

describe('web UI session', () => {
  it('turns a token into an HttpOnly, SameSite=Strict cookie only for the UI’s own script', async () => {
    // Act
    const withoutHeader = await registry.request('/-/ui/session', { method: 'POST', json: { token } });
    const crossSite = await registry.request('/-/ui/session', {
      method: 'POST',
      json: { token },
      headers: { ...UI, origin: 'http://evil.test' },
    });
    const badToken = await registry.request('/-/ui/session', {
      method: 'POST',
      json: { token: 'myorg_nope' },
      headers: UI,
    });
    const started = await registry.request('/-/ui/session', { method: 'POST', json: { token }, headers: UI });

    // Assess
    expect(withoutHeader.status).toBe(403);
    expect(crossSite.status).toBe(403);
    expect(badToken.status).toBe(401);
    expect(started.status).toBe(200);
    expect(started.headers.get('set-cookie')).toMatch(
      /^registry_session=myorg_[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/,
    );
  });

  it('accepts the cookie on pages and the UI’s token revocation, never elsewhere or without the UI header', async () => {
    // Prepare
    const sessionToken = await login(registry, 'alice', password);
    const victim = await login(registry, 'alice', password);
    const cookie = { cookie: `registry_session=${sessionToken}` };
    const victimKey = (
      await json<{ objects: { key: string; token: string }[] }>(
        await registry.request('/-/npm/v1/tokens', { token: victim }),
      )
    ).objects.find((listed) => victim.startsWith(listed.token))?.key;

    // Act
    const account = await (await page('/-/ui/account', cookie)).text();
    const whoami = await registry.request('/-/whoami', { headers: cookie });
    const publishWithCookie = await registry.request('/gadget', {
      method: 'PUT',
      headers: { ...cookie, ...UI },
      json: {},
    });
    const revokeWithoutHeader = await registry.request(`/-/npm/v1/tokens/token/${victimKey}`, {
      method: 'DELETE',
      headers: cookie,
    });
    const revokeCrossSite = await registry.request(`/-/npm/v1/tokens/token/${victimKey}`, {
      method: 'DELETE',
      headers: { ...cookie, ...UI, origin: 'http://evil.test' },
    });
    const stillValid = await registry.request('/-/whoami', { token: victim });
    const revoked = await registry.request(`/-/npm/v1/tokens/token/${victimKey}`, {
      method: 'DELETE',
      headers: { ...cookie, ...UI },
    });
    const afterRevoke = await registry.request('/-/whoami', { token: victim });

    // Assess
    expect(account).toContain('Signed in as alice');
    expect(account).toContain(`data-revoke="${victimKey}"`);
    expect(account).toMatch(/<a href="[^"]+\/package\/gadget">gadget<\/a>/);
    expect(whoami.status).toBe(401);
    expect(publishWithCookie.status).toBe(401);
    expect(revokeWithoutHeader.status).toBe(401);
    expect(revokeCrossSite.status).toBe(401);
    expect(stillValid.status).toBe(200);
    expect(revoked.status).toBe(200);
    expect(afterRevoke.status).toBe(401);
  });

  it('sends a signed-out visitor of the account page to sign-in, and signing out revokes the session’s token', async () => {
    // Prepare
    const sessionToken = await login(registry, 'alice', password);
    const cookie = { cookie: `registry_session=${sessionToken}` };

    // Act
    const anonymous = await page('/-/ui/account');
    const signedOut = await registry.request('/-/ui/logout', {
      method: 'POST',
      headers: { ...cookie, ...UI },
    });
    const afterwards = await registry.request('/-/whoami', { token: sessionToken });

    // Assess
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/\/-\/ui\/signin\?next=%2F-%2Fui%2Faccount$/);
    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(afterwards.status).toBe(401);
  });
});

describe('web UI mounted under a path', () => {
  /** Where the UI's script goes after sign-in: the page's `data-base` plus the `next` it was sent with. */
  const afterSignIn = (location: string, base: string) =>
    base + (new URL(location).searchParams.get('next') ?? '');

  it('sends a visitor back to the page they asked for, with the prefix once, whether or not the request carried it', async () => {
    // Prepare
    const base = 'https://registry.example.test/npm';
    const mounted = await startRegistry({ publicUrl: `${base}/`, publicRead: false });
    try {
      // Act
      const prefixed = await mounted.request('/npm/?q=widget', { headers: HTML, redirect: 'manual' });
      const stripped = await mounted.request('/package/gadget', { headers: HTML, redirect: 'manual' });
      const signIn = await (await mounted.request('/npm/-/ui/signin', { headers: HTML })).text();

      // Assess
      expect(prefixed.status).toBe(302);
      const location = prefixed.headers.get('location') ?? '';
      expect(location.startsWith(`${base}/-/ui/signin?`)).toBe(true);
      expect(afterSignIn(location, base)).toBe(`${base}/?q=widget`);
      expect(afterSignIn(stripped.headers.get('location') ?? '', base)).toBe(`${base}/package/gadget`);
      expect(signIn).toContain(`data-base="${base}"`);
      expect(signIn).toContain(`href="${base}/-/ui/assets/`);
      expect(signIn).not.toContain('/npm/npm');
    } finally {
      await mounted.close();
    }
  });

  it('keeps a named API Gateway stage once in the sign-in redirect on Lambda', async () => {
    // Prepare
    const handler = createApiGatewayHandler(
      createRegistry({ storage: new MemoryStorage(), auth: testAuth(), publicRead: false }),
      { logger: noopLogger },
    );
    const domainName = 'abc123.execute-api.us-east-1.amazonaws.com';

    // Act
    const result = await handler({
      version: '2.0',
      rawPath: '/prod/package/gadget',
      rawQueryString: 'tab=versions',
      headers: { ...HTML, 'x-forwarded-proto': 'https' },
      isBase64Encoded: false,
      requestContext: {
        domainName,
        requestId: 'req-1',
        stage: 'prod',
        http: { method: 'GET', path: '/prod/package/gadget', sourceIp: '192.0.2.1' },
      },
    });

    // Assess
    expect(result.statusCode).toBe(302);
    const base = `https://${domainName}/prod`;
    expect(afterSignIn(String(result.headers?.location), base)).toBe(`${base}/package/gadget?tab=versions`);
  });
});

describe('web UI pages of packages the upstream has', () => {
  let upstream: UpstreamFixture;
  let proxying: TestRegistry;
  const day = 24 * 60 * 60 * 1000;
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const version = (v: string) => ({
    name: 'proxied-pad',
    version: v,
    description: 'Pads from afar',
    dist: { tarball: `http://127.0.0.1/proxied-pad/-/proxied-pad-${v}.tgz`, shasum: 'a'.repeat(40) },
  });

  beforeAll(async () => {
    upstream = await startUpstreamFixture();
    upstream.documents.set('/proxied-pad', {
      _id: 'proxied-pad',
      name: 'proxied-pad',
      'dist-tags': { latest: '2.0.0' },
      versions: { '1.0.0': version('1.0.0'), '2.0.0': version('2.0.0') },
      // 2.0.0 is younger than the minimum release age: the JSON routes withhold it.
      time: { created: ago(10 * day), modified: ago(60_000), '1.0.0': ago(10 * day), '2.0.0': ago(60_000) },
      maintainers: [{ name: 'faraway' }, 'not a person'],
      readme:
        '# Proxied\n\nPads **far**.\n\n<script>window.__pwned = true</script><img src=x onerror="alert(1)">',
    });
    proxying = await startRegistry({
      upstream: { url: upstream.url },
      releaseAge: { minAgeMs: day, overrides: [], allow: [] },
    });
  });

  afterAll(async () => {
    await proxying?.close();
    await upstream?.stop();
  });

  it('shows a proxied package from the upstream’s document, as the JSON route serves it, its README sanitised', async () => {
    // Act
    const { response, body, served } = await pageAndDocument(proxying, 'proxied-pad');

    // Assess
    expect(response.status).toBe(200);
    expect(body).toContain('<h1>proxied-pad</h1>');
    expect(body).toContain('Pads <strong>far</strong>.');
    expect(body).not.toMatch(/<script>window|onerror/);
    expect(body).toContain('npm install proxied-pad');
    expect(body).toContain('faraway');
    expect(Object.keys(served.versions)).toEqual(['1.0.0']);
    expect(body).toMatch(/<table class="versions"><tr><td>1\.0\.0<\/td>/);
    expect(body).not.toContain('2.0.0');
  });

  it('answers a package neither here nor upstream with the 404 page', async () => {
    // Act
    const response = await proxying.request('/package/nowhere-pad', { headers: HTML });

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
  });
});

describe('web UI pages of packages published here, under the supply-chain policy', () => {
  let blocking: TestRegistry;

  beforeAll(async () => {
    const storage = new MemoryStorage();
    await createTestUser(storage, { name: 'bob', email: 'bob@example.test', password });
    await new BlockList(storage).add({ name: 'sprocket', range: '1.1.0', reason: 'Leaks the build token' });
    blocking = await startRegistry({ storage, auth: createLocalAuth({ storage, allowRegistration: false }) });
    const bobToken = await login(blocking, 'bob', password);
    for (const version of ['1.0.0', '1.1.0']) {
      expect((await publish(blocking, publishBody('sprocket', version), bobToken)).status).toBe(201);
    }
  });

  afterAll(async () => {
    await blocking?.close();
  });

  it('leaves out a blocked version, as the JSON route does, with latest at its fallback', async () => {
    // Act
    const { response, body, served } = await pageAndDocument(blocking, 'sprocket');

    // Assess
    expect(response.status).toBe(200);
    expect(Object.keys(served.versions)).toEqual(['1.0.0']);
    expect(body).toContain('<td>latest</td><td>1.0.0</td>');
    expect(body).not.toContain('1.1.0');
  });
});
