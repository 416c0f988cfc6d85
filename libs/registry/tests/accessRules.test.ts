import { MemoryStorage } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRulesSchema } from '../src/access/accessRules.ts';
import { createLocalAuth } from '../src/auth/local/createLocalAuth.ts';
import { createTestUser } from './auth/harness.ts';
import { type ErrorJson, json } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { login, publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';

/** The rule file of README "Access rules", with local groups standing in for GitHub teams. */
const rules = accessRulesSchema.parse({
  packages: [
    { match: '@myorg/secret-*', read: ['group:security'], publish: ['group:security'] },
    { match: '@myorg/open-*', read: ['$all'] },
    { match: '@myorg/*', read: ['$authenticated'], publish: ['group:platform', '$owners'] },
  ],
});
const users = { pat: ['platform'], sec: ['security'], otto: [], root: [] } as const;
const password = 'correct horse battery';

let registry: TestRegistry;
/** Each user's token, from `npm login` against the registry. */
const tokens = {} as Record<keyof typeof users | 'patReadOnly', string>;

beforeAll(async () => {
  const storage = new MemoryStorage();
  for (const [name, groups] of Object.entries(users)) {
    await createTestUser(storage, { name, email: `${name}@example.test`, password, groups });
  }
  registry = await startRegistry({
    storage,
    publicRead: false,
    auth: createLocalAuth({ storage, allowRegistration: false }),
    access: { rules, admins: ['ROOT'] },
  });
  for (const name of Object.keys(users) as (keyof typeof users)[])
    tokens[name] = await login(registry, name, password);
  const readOnly = await registry.request('/-/npm/v1/tokens', {
    method: 'POST',
    token: tokens.pat,
    json: { password, readonly: true },
  });
  tokens.patReadOnly = (await json<{ token: string }>(readOnly)).token;
  for (const [name, publisher] of [
    ['@myorg/app', tokens.pat],
    ['@myorg/secret-keys', tokens.sec],
    ['@myorg/open-kit', tokens.pat],
  ] as const) {
    expect((await publish(registry, publishBody(name, '1.0.0'), publisher)).status).toBe(201);
  }
});

afterAll(async () => {
  await registry?.close();
});

const path = (name: string) => `/${name.replace('/', '%2f')}`;

async function read(name: string, token = tokens.root) {
  return json(await registry.request(path(name), { token }));
}

/** `npm owner add|rm`: the revision and the whole new list of maintainers. */
async function setOwners(name: string, maintainers: string[], token: string): Promise<Response> {
  const { _id, _rev } = await read(name);
  return registry.request(`${path(name)}/-rev/${_rev}`, {
    method: 'PUT',
    token,
    json: { _id, _rev, maintainers: maintainers.map((owner) => ({ name: owner, email: '' })) },
  });
}

function tag(name: string, tagName: string, version: string, token?: string): Promise<Response> {
  return registry.request(`/-/package/${name.replace('/', '%2f')}/dist-tags/${tagName}`, {
    method: 'PUT',
    token,
    json: version,
  });
}

async function deprecate(name: string, message: string, token: string): Promise<Response> {
  const document = await read(name);
  for (const manifest of Object.values(document.versions)) manifest.deprecated = message;
  return registry.request(path(name), { method: 'PUT', token, json: document });
}

describe('access rules with the local provider and its groups', () => {
  it('lets a member of the publishing group publish; refuses an outsider with 403 naming what is missing, changing nothing', async () => {
    // Prepare
    const before = await registry.snapshot();

    // Act
    const outsider = [
      await publish(registry, publishBody('@myorg/app', '1.0.1'), tokens.otto),
      await tag('@myorg/app', 'next', '1.0.0', tokens.otto),
      await deprecate('@myorg/app', 'no longer', tokens.otto),
      await setOwners('@myorg/app', ['pat', 'otto'], tokens.otto),
    ];

    // Assess
    for (const response of outsider) {
      expect(response.status).toBe(403);
      expect((await json<ErrorJson>(response)).error).toMatch(
        /^otto may not (publish|change the dist-tags of|deprecate|change the owners of) @myorg\/app: it needs group:platform or being an owner of the package \(npm owner add\)$/,
      );
    }
    expect(await registry.snapshot()).toEqual(before);
    expect((await publish(registry, publishBody('@myorg/app', '1.1.0'), tokens.pat)).status).toBe(201);
  });

  it('lets a user made an owner with npm owner add publish, and stops once removed', async () => {
    // Act
    const added = await setOwners('@myorg/app', ['pat', 'otto'], tokens.pat);
    const published = await publish(registry, publishBody('@myorg/app', '1.2.0'), tokens.otto);
    const removed = await setOwners('@myorg/app', ['pat'], tokens.pat);
    const refused = await publish(registry, publishBody('@myorg/app', '1.3.0'), tokens.otto);

    // Assess
    expect([added.status, published.status, removed.status, refused.status]).toEqual([200, 201, 200, 403]);
    expect((await read('@myorg/app')).versions['1.2.0']?._npmUser).toMatchObject({ name: 'otto' });
  });

  it('lets an administrator (REGISTRY_ADMINS, any case) do everything', async () => {
    // Act
    const results = [
      await publish(registry, publishBody('@myorg/secret-keys', '1.1.0'), tokens.root),
      await tag('@myorg/secret-keys', 'stable', '1.0.0', tokens.root),
      await deprecate('@myorg/open-kit', 'use @myorg/app', tokens.root),
      await setOwners('@myorg/app', ['pat', 'root'], tokens.root),
      await registry.request(path('@myorg/secret-keys'), { token: tokens.root }),
    ];

    // Assess
    expect(results.map((response) => response.status)).toEqual([201, 200, 200, 200, 200]);
    expect((await read('@myorg/open-kit')).versions['1.0.0']?.deprecated).toBe('use @myorg/app');
  });

  it('keeps a secret package from everyone outside its group: 403 on every read, absent from search', async () => {
    // Act
    const reads = await Promise.all(
      [
        path('@myorg/secret-keys'),
        `${path('@myorg/secret-keys')}/1.0.0`,
        '/@myorg/secret-keys/-/secret-keys-1.0.0.tgz',
        '/-/package/@myorg%2fsecret-keys/dist-tags',
      ].map((url) => registry.request(url, { token: tokens.otto })),
    );
    const search = async (token: string) => {
      const answer = await json<{ objects: { package: { name: string } }[]; total: number }>(
        await registry.request('/-/v1/search?text=myorg', { token }),
      );
      return { names: answer.objects.map((object) => object.package.name).sort(), total: answer.total };
    };

    // Assess
    for (const response of reads) {
      expect(response.status).toBe(403);
      expect((await json<ErrorJson>(response)).error).toBe(
        'otto may not read @myorg/secret-keys: it needs group:security',
      );
    }
    expect(await search(tokens.otto)).toEqual({ names: ['@myorg/app', '@myorg/open-kit'], total: 2 });
    expect((await search(tokens.sec)).names).toContain('@myorg/secret-keys');
    expect((await registry.request(path('@myorg/secret-keys'), { token: tokens.sec })).status).toBe(200);
  });

  it('opens what a rule gives $all to anonymous readers of a private registry, and nothing else', async () => {
    // Act
    const open = await registry.request(path('@myorg/open-kit'));
    const tarball = await registry.request('/@myorg/open-kit/-/open-kit-1.0.0.tgz');
    const closed = await registry.request(path('@myorg/app'));
    const write = await tag('@myorg/open-kit', 'next', '1.0.0');

    // Assess
    expect([open.status, tarball.status, closed.status]).toEqual([200, 200, 401]);
    expect(closed.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(write.status).toBe(401);
  });

  it('refuses every write of a read-only token with EREADONLY, and lets it read', async () => {
    // Prepare
    const before = await registry.snapshot();

    // Act
    const publishing = await publish(registry, publishBody('@myorg/app', '2.0.0'), tokens.patReadOnly);
    const tagging = await tag('@myorg/app', 'next', '1.0.0', tokens.patReadOnly);
    const reading = await registry.request(path('@myorg/app'), { token: tokens.patReadOnly });

    // Assess
    expect([publishing.status, tagging.status, reading.status]).toEqual([403, 403, 200]);
    expect((await json<ErrorJson>(publishing)).code).toBe('EREADONLY');
    expect(await registry.snapshot()).toEqual(before);
  });
});

describe('a provider whose principals must be in one of its required groups', () => {
  it('refuses a signed-in user outside them everything, naming the groups', async () => {
    // Prepare: the local provider standing in for GitHub, its staff group for an organisation.
    const storage = new MemoryStorage();
    await createTestUser(storage, { name: 'mia', email: 'mia@example.test', password, groups: ['staff'] });
    await createTestUser(storage, { name: 'max', email: 'max@example.test', password });
    const local = createLocalAuth({ storage, allowRegistration: false });
    const gated = await startRegistry({
      storage,
      publicRead: true,
      auth: { ...local, requiredGroups: ['group:staff'] },
    });
    try {
      const tokenOf = async (name: string) => {
        const response = await gated.request(`/-/user/org.couchdb.user:${name}`, {
          method: 'PUT',
          json: { name, password },
        });
        return (await json<{ token: string }>(response)).token;
      };
      const [mia, max] = [await tokenOf('mia'), await tokenOf('max')];
      expect((await publish(gated, publishBody('tool', '1.0.0'), mia)).status).toBe(201);

      // Act
      const refused = [
        await gated.request('/tool', { token: max }),
        await gated.request('/-/v1/search?text=tool', { token: max }),
        await gated.request('/-/whoami', { token: max }),
        await publish(gated, publishBody('other', '1.0.0'), max),
      ];

      // Assess
      for (const response of refused) {
        expect(response.status).toBe(403);
        expect((await json<ErrorJson>(response)).error).toMatch(
          /^max is in none of the groups this registry requires \(group:staff\)/,
        );
      }
      expect((await gated.request('/tool', { token: mia })).status).toBe(200);
    } finally {
      await gated.close();
    }
  });
});
