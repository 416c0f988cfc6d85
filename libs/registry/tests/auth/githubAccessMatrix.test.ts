import { MemoryStorage } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubAuth } from '../../src/auth/github/createGitHubAuth.ts';
import { type GitHubStandIn, gitHubConfig, startGitHubStandIn } from '../support/githubStandIn.ts';
import { publishBody } from '../support/publishBody.ts';
import { startRegistry, type TestRegistry } from '../support/startRegistry.ts';

/**
 * Issue #14's matrix: {anonymous, non-member, member, team member, admin, read-only token, revoked
 * token, expired token} × {read, publish, unpublish, dist-tag, deprecate}, with GitHub sign-in and
 * a rule file (`@myorg/*` readable by any signed-in org member, publishable by team
 * myorg/platform), each as the npm CLI sends it. Every cell has its own package, so the cells do
 * not depend on each other; a refused request must leave storage exactly as it was.
 */
const TTL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

const principals = [
  'anonymous',
  'non-member',
  'member',
  'team member',
  'admin',
  'read-only token',
  'revoked token',
  'expired token',
] as const;
const actions = ['read', 'publish', 'unpublish', 'dist-tag', 'deprecate'] as const;
type Who = (typeof principals)[number];
type Action = (typeof actions)[number];

/** The status each cell must answer: what the rule file and REGISTRY_ADMINS grant (a publish answers 201). */
const expected: Record<Who, Record<Action, number>> = {
  anonymous: { read: 401, publish: 401, unpublish: 401, 'dist-tag': 401, deprecate: 401 },
  'non-member': { read: 403, publish: 403, unpublish: 403, 'dist-tag': 403, deprecate: 403 },
  member: { read: 200, publish: 403, unpublish: 403, 'dist-tag': 403, deprecate: 403 },
  'team member': { read: 200, publish: 201, unpublish: 200, 'dist-tag': 200, deprecate: 200 },
  admin: { read: 200, publish: 201, unpublish: 200, 'dist-tag': 200, deprecate: 200 },
  'read-only token': { read: 200, publish: 403, unpublish: 403, 'dist-tag': 403, deprecate: 403 },
  'revoked token': { read: 401, publish: 401, unpublish: 401, 'dist-tag': 401, deprecate: 401 },
  'expired token': { read: 401, publish: 401, unpublish: 401, 'dist-tag': 401, deprecate: 401 },
};

let github: GitHubStandIn;
let registry: TestRegistry;
let clock = Date.parse('2030-01-01T00:00:00Z');
const tokens = new Map<Who, string | undefined>([['anonymous', undefined]]);

const path = (name: string) => `/${name.replace('/', '%2f')}`;
const packageOf = (who: Who, action: Action) => `@myorg/${who.replace(/ /g, '-')}-${action}`;

beforeAll(async () => {
  github = await startGitHubStandIn();
  const pats = new Map<string, string>();
  for (const login of ['nora', 'mia', 'tom', 'ada']) {
    pats.set(login, github.addUser(login));
    github.setOrgMember('myorg', login, 'active');
  }
  github.setTeamMember('myorg', 'platform', 'tom', 'active');
  const storage = new MemoryStorage();
  registry = await startRegistry({
    storage,
    publicRead: false,
    auth: createGitHubAuth({
      storage,
      github: gitHubConfig(github, ['myorg'], TTL_MS),
      teams: ['team:myorg/platform'],
      now: () => new Date(clock),
    }),
    access: {
      rules: {
        packages: [{ match: '@myorg/*', read: ['$authenticated'], publish: ['team:myorg/platform'] }],
        trustedPublishers: [],
      },
      admins: ['ada'],
    },
  });

  const login = async (name: string) => {
    const response = await registry.request(`/-/user/org.couchdb.user:${name}`, {
      method: 'PUT',
      json: { name, password: pats.get(name) },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { token: string }).token;
  };
  const createToken = async (token: string, body: Record<string, unknown>) => {
    const response = await registry.request('/-/npm/v1/tokens', {
      method: 'POST',
      token,
      json: { password: pats.get('tom'), ...body },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { token: string; key: string };
  };
  tokens.set('non-member', await login('nora'));
  tokens.set('member', await login('mia'));
  const tom = await login('tom');
  tokens.set('team member', tom);
  tokens.set('admin', await login('ada'));
  tokens.set('read-only token', (await createToken(tom, { readonly: true })).token);
  const revoked = await createToken(tom, {});
  const gone = await registry.request(`/-/npm/v1/tokens/token/${revoked.key}`, {
    method: 'DELETE',
    token: tom,
  });
  expect(gone.status).toBe(200);
  tokens.set('revoked token', revoked.token);
  tokens.set('expired token', (await createToken(tom, { expires: 1 })).token);

  // Every cell's package, published by the admin.
  for (const who of principals) {
    for (const action of actions) {
      const name = packageOf(who, action);
      const published = await registry.request(path(name), {
        method: 'PUT',
        token: tokens.get('admin'),
        json: publishBody(name, '1.0.0'),
      });
      expect(published.status).toBe(201);
    }
  }

  // Nora leaves the org, and two days pass: her groups are asked again, the one-day token expires.
  github.setOrgMember('myorg', 'nora', undefined);
  clock += 2 * DAY_MS;
});

afterAll(async () => {
  await registry?.close();
  await github?.close();
});

/** The package's full document as the admin reads it for a write (`?write=true`). */
async function documentOf(
  name: string,
): Promise<{ _rev: string; versions: Record<string, Record<string, unknown>> }> {
  const response = await registry.request(`${path(name)}?write=true`, { token: tokens.get('admin') });
  expect(response.status).toBe(200);
  return (await response.json()) as { _rev: string; versions: Record<string, Record<string, unknown>> };
}

/** The request the npm CLI sends for `action` (after reading what it needs), and how to see it took effect. */
async function perform(action: Action, name: string, token: string | undefined): Promise<Response> {
  switch (action) {
    case 'read':
      return registry.request(path(name), { token });
    case 'publish':
      return registry.request(path(name), { method: 'PUT', token, json: publishBody(name, '2.0.0') });
    case 'unpublish': {
      // `npm unpublish <pkg> --force`: the whole package, at the revision read.
      const { _rev } = await documentOf(name);
      return registry.request(`${path(name)}/-rev/${_rev}`, { method: 'DELETE', token });
    }
    case 'dist-tag':
      return registry.request(`/-/package/${name.replace('/', '%2f')}/dist-tags/beta`, {
        method: 'PUT',
        token,
        json: '1.0.0',
      });
    case 'deprecate': {
      const document = await documentOf(name);
      const versions = document.versions;
      const first = versions['1.0.0'];
      if (first !== undefined) first.deprecated = 'use 2.x';
      return registry.request(`${path(name)}/-rev/${document._rev}`, {
        method: 'PUT',
        token,
        json: document,
      });
    }
  }
}

/** Whether `action` took effect on the package, as the admin sees it. */
async function tookEffect(action: Action, name: string): Promise<boolean> {
  const response = await registry.request(path(name), { token: tokens.get('admin') });
  if (action === 'unpublish') return response.status === 404;
  const document = (await response.json()) as {
    'dist-tags': Record<string, string>;
    versions: Record<string, { deprecated?: string }>;
  };
  if (action === 'publish') return document.versions['2.0.0'] !== undefined;
  if (action === 'dist-tag') return document['dist-tags'].beta === '1.0.0';
  if (action === 'deprecate') return document.versions['1.0.0']?.deprecated === 'use 2.x';
  return true;
}

describe('who may do what with GitHub sign-in and a rule file', () => {
  const cells = principals.flatMap((who) =>
    actions.map((action) => ({ who, action, status: expected[who][action] })),
  );

  it.each(cells)('$who → $action: $status', async ({ who, action, status }) => {
    // Prepare
    const name = packageOf(who, action);
    const before = await registry.snapshot();

    // Act
    const response = await perform(action, name, tokens.get(who));

    // Assess
    expect(response.status).toBe(status);
    if (status < 300) {
      expect(await tookEffect(action, name)).toBe(true);
    } else {
      const body = (await response.json()) as { error: string };
      expect(body.error).toEqual(expect.any(String));
      expect(await registry.snapshot()).toEqual(before);
    }
  });
});
