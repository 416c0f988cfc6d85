import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ErrorJson, json } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';
import { OTHER_WRITER_TOKEN, WRITER_TOKEN } from './support/testAuth.ts';

let registry: TestRegistry;

beforeEach(async () => {
  registry = await startRegistry();
  await publish(registry, publishBody('owned', '1.0.0'));
});

afterEach(async () => {
  await registry.close();
});

async function read() {
  return json(await registry.request('/owned'));
}

/** `npm owner add|rm` sends the revision and the new list of maintainers. */
async function setOwners(maintainers: unknown, token = WRITER_TOKEN): Promise<Response> {
  const { _id, _rev } = await read();
  return registry.request(`/owned/-rev/${_rev}`, { method: 'PUT', token, json: { _id, _rev, maintainers } });
}

describe('maintainers', () => {
  it('refuses every write by someone who does not maintain the package, leaving storage as it was', async () => {
    // Prepare
    const document = await read();
    const before = await registry.snapshot();
    const deprecated = structuredClone(document);
    deprecated.versions['1.0.0']!.deprecated = 'hijacked';
    const attempts = [
      () => publish(registry, publishBody('owned', '1.0.1'), OTHER_WRITER_TOKEN),
      () =>
        registry.request('/-/package/owned/dist-tags/hijacked', {
          method: 'PUT',
          token: OTHER_WRITER_TOKEN,
          json: '1.0.0',
        }),
      () =>
        registry.request('/-/package/owned/dist-tags/latest', {
          method: 'DELETE',
          token: OTHER_WRITER_TOKEN,
        }),
      () => registry.request('/owned', { method: 'PUT', token: OTHER_WRITER_TOKEN, json: deprecated }),
      () => registry.request(`/owned/-rev/${document._rev}`, { method: 'DELETE', token: OTHER_WRITER_TOKEN }),
      () =>
        registry.request(`/owned/-/owned-1.0.0.tgz/-rev/${document._rev}`, {
          method: 'DELETE',
          token: OTHER_WRITER_TOKEN,
        }),
      () => setOwners([{ name: 'bob' }], OTHER_WRITER_TOKEN),
    ];

    for (const attempt of attempts) {
      // Act
      const response = await attempt();

      // Assess
      expect(response.status).toBe(403);
      expect((await json<ErrorJson>(response)).error).toBe(
        'bob is not a maintainer of owned: ask a maintainer to run `npm owner add bob owned`',
      );
    }
    expect(await registry.snapshot()).toEqual(before);
  });

  it('lets a maintainer add and remove owners as npm owner does', async () => {
    // Act
    const added = await setOwners([
      { name: 'alice', email: '' },
      { name: 'bob', email: 'bob@example.test' },
    ]);
    const publishedByBob = await publish(registry, publishBody('owned', '1.1.0'), OTHER_WRITER_TOKEN);
    const removed = await setOwners([{ name: 'bob', email: 'bob@example.test' }], OTHER_WRITER_TOKEN);
    const publishedByAlice = await publish(registry, publishBody('owned', '1.2.0'));
    const document = await read();

    // Assess
    expect([added.status, publishedByBob.status, removed.status, publishedByAlice.status]).toEqual([
      200, 201, 200, 403,
    ]);
    expect(document.maintainers).toEqual([{ name: 'bob', email: 'bob@example.test' }]);
    expect(document.versions['1.1.0']!._npmUser).toEqual({ name: 'bob', email: 'bob@example.test' });
  });

  it('writes nothing when the owners do not change', async () => {
    // Prepare
    const before = await registry.snapshot();

    // Act
    const response = await setOwners([{ name: 'alice', email: '' }]);

    // Assess
    expect(response.status).toBe(200);
    expect(await registry.snapshot()).toEqual(before);
  });

  it('answers 404 to adding a user that does not exist, leaving storage as it was', async () => {
    // Prepare
    const before = await registry.snapshot();

    // Act
    const response = await setOwners([{ name: 'alice', email: '' }, { name: 'nobody' }]);

    // Assess
    expect(response.status).toBe(404);
    expect((await json<ErrorJson>(response)).error).toBe(
      'cannot make nobody a maintainer of owned: there is no user "nobody" on this registry',
    );
    expect(await registry.snapshot()).toEqual(before);
  });

  it('tells a non-maintainer 403 before anything about users', async () => {
    const response = await setOwners([{ name: 'nobody' }], OTHER_WRITER_TOKEN);
    expect(response.status).toBe(403);
  });

  it('refuses an empty or malformed list of owners', async () => {
    for (const maintainers of [[], 'alice', [{ email: 'x@y.test' }], [{ name: '' }]]) {
      expect((await setOwners(maintainers)).status).toBe(400);
    }
  });
});
