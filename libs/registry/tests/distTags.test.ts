import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ErrorJson, json } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';
import { READER_TOKEN, WRITER_TOKEN } from './support/testAuth.ts';

let registry: TestRegistry;
const tags = '/-/package/@scope%2fdemo/dist-tags';

beforeEach(async () => {
  registry = await startRegistry();
  await publish(registry, publishBody('@scope/demo', '1.0.0'));
  await publish(registry, publishBody('@scope/demo', '2.0.0-rc.1', { tag: 'next' }));
});

afterEach(async () => {
  await registry.close();
});

async function listTags(): Promise<Record<string, string>> {
  return json(await registry.request(tags));
}

describe('dist-tags', () => {
  it('lists the tags', async () => {
    expect(await listTags()).toEqual({ latest: '1.0.0', next: '2.0.0-rc.1' });
  });

  it('adds, moves and removes a tag as npm dist-tag does', async () => {
    // Act
    const added = await registry.request(`${tags}/stable`, {
      method: 'PUT',
      token: WRITER_TOKEN,
      json: '1.0.0',
    });
    const moved = await registry.request(`${tags}/latest`, {
      method: 'PUT',
      token: WRITER_TOKEN,
      json: '2.0.0-rc.1',
    });
    const removed = await registry.request(`${tags}/next`, { method: 'DELETE', token: WRITER_TOKEN });

    // Assess
    expect([added.status, moved.status, removed.status]).toEqual([200, 200, 200]);
    expect(await listTags()).toEqual({ latest: '2.0.0-rc.1', stable: '1.0.0' });
    expect((await json(await registry.request('/@scope/demo')))['dist-tags']).toEqual({
      latest: '2.0.0-rc.1',
      stable: '1.0.0',
    });
  });

  it('keeps the revision when a tag already points at the version', async () => {
    // Prepare
    const before = await registry.snapshot();

    // Act
    const response = await registry.request(`${tags}/latest`, {
      method: 'PUT',
      token: WRITER_TOKEN,
      json: '1.0.0',
    });

    // Assess
    expect(response.status).toBe(200);
    expect(await registry.snapshot()).toEqual(before);
  });

  const refusals: [string, string, RequestInit & { token?: string; json?: unknown }, number, RegExp][] = [
    [
      'a tag to a missing version',
      `${tags}/beta`,
      { method: 'PUT', token: WRITER_TOKEN, json: '9.9.9' },
      400,
      /not published/,
    ],
    [
      'a body that is not a version string',
      `${tags}/beta`,
      { method: 'PUT', token: WRITER_TOKEN, json: { v: 1 } },
      400,
      /JSON string/,
    ],
    [
      'a tag that is a semver range',
      `${tags}/1.x`,
      { method: 'PUT', token: WRITER_TOKEN, json: '1.0.0' },
      400,
      /SemVer range/,
    ],
    [
      'a tag that is a version',
      `${tags}/1.0.0`,
      { method: 'PUT', token: WRITER_TOKEN, json: '1.0.0' },
      400,
      /invalid dist-tag "1.0.0": Tag name must not be a valid SemVer range/,
    ],
    [
      'a tag that is a v-prefixed range',
      `${tags}/v1`,
      { method: 'PUT', token: WRITER_TOKEN, json: '1.0.0' },
      400,
      /SemVer range: v1/,
    ],
    [
      'a tag named __proto__',
      `${tags}/__proto__`,
      { method: 'PUT', token: WRITER_TOKEN, json: '1.0.0' },
      400,
      /invalid dist-tag "__proto__": Tag name must not be a property every object has/,
    ],
    [
      'a tag named constructor',
      `${tags}/constructor`,
      { method: 'PUT', token: WRITER_TOKEN, json: '1.0.0' },
      400,
      /invalid dist-tag "constructor"/,
    ],
    [
      'deleting a tag named __proto__',
      `${tags}/__proto__`,
      { method: 'DELETE', token: WRITER_TOKEN },
      400,
      /invalid dist-tag "__proto__"/,
    ],
    [
      'deleting latest',
      `${tags}/latest`,
      { method: 'DELETE', token: WRITER_TOKEN },
      400,
      /latest dist-tag cannot be deleted/,
    ],
    [
      'deleting a tag that does not exist',
      `${tags}/nope`,
      { method: 'DELETE', token: WRITER_TOKEN },
      404,
      /no such dist-tag/,
    ],
    [
      'tags of a missing package',
      '/-/package/nothing/dist-tags/x',
      { method: 'PUT', token: WRITER_TOKEN, json: '1.0.0' },
      404,
      /no such package/,
    ],
    ['an anonymous change', `${tags}/beta`, { method: 'PUT', json: '1.0.0' }, 401, /authentication required/],
    ['a read-only token', `${tags}/next`, { method: 'DELETE', token: READER_TOKEN }, 403, /read-only/],
  ];

  for (const [what, path, init, status, error] of refusals) {
    it(`refuses ${what} with ${status}`, async () => {
      // Prepare
      const before = await registry.snapshot();

      // Act
      const response = await registry.request(path, init);

      // Assess
      expect(response.status).toBe(status);
      expect((await json<ErrorJson>(response)).error).toMatch(error);
      expect(await registry.snapshot()).toEqual(before);
    });
  }

  it('answers 404 when listing the tags of a missing package', async () => {
    expect((await registry.request('/-/package/nothing/dist-tags')).status).toBe(404);
  });
});
