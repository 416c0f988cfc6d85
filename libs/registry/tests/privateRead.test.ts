import { MemoryStorage } from '@myorg/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalAuth } from '../src/auth/local/createLocalAuth.ts';
import { type ErrorJson, json } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';
import { READER_TOKEN } from './support/testAuth.ts';

let registry: TestRegistry;

beforeEach(async () => {
  registry = await startRegistry({ publicRead: false });
  expect((await publish(registry, publishBody('@scope/demo', '1.0.0'))).status).toBe(201);
});

afterEach(async () => {
  await registry.close();
});

describe('a registry whose reads are private', () => {
  it.each([
    '/@scope%2fdemo',
    '/@scope/demo/1.0.0',
    '/@scope/demo/-/demo-1.0.0.tgz',
    '/-/package/@scope%2fdemo/dist-tags',
    '/-/v1/search?text=demo',
  ])('answers an anonymous GET %s with 401 and a login challenge', async (path) => {
    // Act
    const response = await registry.request(path);

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await json<ErrorJson>(response)).error).toMatch(/run `npm login`/);
  });

  it('answers the same reads with a token, read-only ones included', async () => {
    const packument = await registry.request('/@scope%2fdemo', { token: READER_TOKEN });
    const tarball = await registry.request('/@scope/demo/-/demo-1.0.0.tgz', { token: READER_TOKEN });
    expect([packument.status, tarball.status]).toEqual([200, 200]);
  });

  it('still answers npm ping anonymously', async () => {
    expect((await registry.request('/-/ping')).status).toBe(200);
  });
});

describe('the local provider on a private registry', () => {
  it('lets an anonymous caller reach login and logout, which hand out and carry their own credentials', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const closed = await startRegistry({
      storage,
      publicRead: false,
      auth: createLocalAuth({ storage, allowRegistration: false }),
    });

    try {
      // Act
      const adduser = await closed.request('/-/user/org.couchdb.user:mallory', {
        method: 'PUT',
        json: { name: 'mallory', password: 'correct horse', email: 'm@example.test' },
      });
      const webLogin = await closed.request('/-/v1/login', { method: 'POST', json: {} });
      const logout = await closed.request('/-/user/token/myorg_unknown', { method: 'DELETE' });

      // Assess: each is answered by its own route, none by the 401 of the read guard.
      expect(adduser.status).toBe(403);
      expect((await json<ErrorJson>(adduser)).error).toMatch(/registration is closed/);
      expect(webLogin.status).toBe(404);
      expect(logout.status).toBe(200);
    } finally {
      await closed.close();
    }
  });
});
