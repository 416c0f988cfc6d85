import { MemoryStorage } from '@myorg/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubAuth } from '../../src/auth/github/createGitHubAuth.ts';
import { LOGIN_SESSION_TTL_MS, LoginSessions } from '../../src/auth/github/LoginSessions.ts';
import type { AuthProvider } from '../../src/auth/types.ts';
import { type GitHubStandIn, gitHubConfig, startGitHubStandIn } from '../support/githubStandIn.ts';
import { startRegistry, type TestRegistry } from '../support/startRegistry.ts';

const TTL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

let github: GitHubStandIn;
let registry: TestRegistry;
let storage: MemoryStorage;
let auth: AuthProvider;
let clock: number;
let alicePat: string;

beforeEach(async () => {
  github = await startGitHubStandIn();
  clock = Date.parse('2030-01-01T00:00:00Z');
  alicePat = github.addUser('Alice', { name: 'Alice A.', email: 'alice@example.test' });
  github.setOrgMember('myorg', 'alice', 'active');
  github.setTeamMember('myorg', 'platform', 'alice', 'active');
  storage = new MemoryStorage();
  auth = gitHubAuth();
  registry = await startRegistry({ storage, auth, publicRead: false });
});

/** The provider over the test's storage, as each registry instance (another Lambda) builds its own. */
function gitHubAuth(): AuthProvider {
  return createGitHubAuth({
    storage,
    github: gitHubConfig(github, ['myorg'], TTL_MS),
    teams: ['team:myorg/platform', 'team:myorg/security'],
    now: () => new Date(clock),
  });
}

afterEach(async () => {
  await registry.close();
  await github.close();
});

function legacyLogin(name: string, password: string) {
  return registry.request(`/-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    json: { _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [] },
  });
}

async function loggedIn(name = 'alice', password = alicePat): Promise<string> {
  const response = await legacyLogin(name, password);
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

describe('legacy login with a GitHub personal access token', () => {
  it('issues the registry token to an org member, who then carries org and team groups', async () => {
    // Act
    const response = await legacyLogin('alice', alicePat);

    // Assess
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as { token: string };
    const whoami = await registry.request('/-/whoami', { token });
    expect(await whoami.json()).toEqual({ username: 'alice' });
    const principal = await auth.authenticate(`Bearer ${token}`);
    expect(principal?.groups).toEqual(['org:myorg', 'team:myorg/platform']);
    expect(auth.requiredGroups).toEqual(['org:myorg']);
    expect(await auth.userExists('ALICE')).toBe(true);
    expect(await auth.userExists('bob')).toBe(false);
    // The GitHub token is never stored; the user record is.
    const stored = [...(await registry.snapshot()).values()].map((b64) =>
      Buffer.from(b64, 'base64').toString(),
    );
    expect(stored.some((text) => text.includes(alicePat))).toBe(false);
    expect(stored.some((text) => text.includes('"lastLogin"'))).toBe(true);
  });

  it('refuses a token GitHub rejects, a token of another user, and a non-member, each saying why', async () => {
    // Prepare
    const bobPat = github.addUser('bob');

    // Act
    const rejected = await legacyLogin('alice', 'ghp_not-a-token');
    const otherUser = await legacyLogin('alice', bobPat);
    const nonMember = await legacyLogin('bob', bobPat);

    // Assess
    expect(rejected.status).toBe(401);
    expect(((await rejected.json()) as { error: string }).error).toMatch(/personal access token/);
    expect(otherUser.status).toBe(401);
    expect(((await otherUser.json()) as { error: string }).error).toMatch(/belongs to bob/);
    expect(nonMember.status).toBe(403);
    expect(((await nonMember.json()) as { error: string }).error).toMatch(
      /bob is not an active member of .*myorg/,
    );
    expect(await auth.userExists('bob')).toBe(false);
  });

  it('gives a publishing token at most REGISTRY_TOKEN_MAX_AGE, and npm token create needs a GitHub token of the same user', async () => {
    // Prepare
    const token = await loggedIn();
    const create = (password: string) =>
      registry.request('/-/npm/v1/tokens', { method: 'POST', token, json: { password, readonly: true } });

    // Act
    const wrong = await create(github.addUser('bob'));
    const right = await create(alicePat);
    const list = await registry.request('/-/npm/v1/tokens', { token });

    // Assess
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/GitHub personal access token/);
    expect(right.status).toBe(201);
    const { objects } = (await list.json()) as { objects: { readonly: boolean; expires?: string }[] };
    const publishing = objects.find((entry) => !entry.readonly);
    expect(Date.parse(publishing?.expires ?? '')).toBe(clock + 90 * DAY_MS);
    expect(objects.find((entry) => entry.readonly)?.expires).toBeUndefined();
  });
});

describe('web login through GitHub', () => {
  async function startLogin(): Promise<{ loginUrl: string; doneUrl: string }> {
    const response = await registry.request('/-/v1/login', { method: 'POST', json: {} });
    expect(response.status).toBe(200);
    return (await response.json()) as { loginUrl: string; doneUrl: string };
  }

  /** The browser: registry → GitHub's authorize page (which approves) → the registry's callback. */
  async function browse(loginUrl: string, registryUrl = registry.url): Promise<Response> {
    const toGitHub = await fetch(loginUrl, { redirect: 'manual' });
    expect(toGitHub.status).toBe(302);
    const authorize = new URL(toGitHub.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${github.webUrl}/login/oauth/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(
      `${registryUrl}/-/myorg/v1/login/github/callback`,
    );
    const back = await fetch(authorize, { redirect: 'manual' });
    expect(back.status).toBe(302);
    return fetch(back.headers.get('location') ?? '', { redirect: 'manual' });
  }

  it('answers 202 while the user is away, then the token once to the holder of doneUrl', async () => {
    // Prepare
    github.browserUser = 'alice';
    const { loginUrl, doneUrl } = await startLogin();
    const pending = await fetch(doneUrl);

    // Act
    const page = await browse(loginUrl);
    const withoutSecret = await fetch(doneUrl.replace(/\?.*$/, ''));
    const done = await fetch(doneUrl);
    const again = await fetch(doneUrl);

    // Assess
    expect(pending.status).toBe(202);
    expect(pending.headers.get('retry-after')).toBe('1');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Signed in to the registry as alice/);
    expect(withoutSecret.status).toBe(404);
    expect(done.status).toBe(200);
    const { token } = (await done.json()) as { token: string };
    expect(await (await registry.request('/-/whoami', { token })).json()).toEqual({ username: 'alice' });
    expect(again.status).toBe(404);
  });

  it('refuses a non-member in the browser and tells the polling npm why', async () => {
    // Prepare
    github.addUser('mallory');
    github.browserUser = 'mallory';
    const { loginUrl, doneUrl } = await startLogin();

    // Act
    const page = await browse(loginUrl);
    const done = await fetch(doneUrl);

    // Assess
    expect(page.status).toBe(403);
    expect(await page.text()).toMatch(/mallory is not an active member/);
    expect(done.status).toBe(403);
    expect(((await done.json()) as { error: string }).error).toMatch(/mallory is not an active member/);
  });

  it('works across instances on one storage: started on one, approved on another, collected on the first', async () => {
    // Prepare
    github.browserUser = 'alice';
    const other = await startRegistry({ storage, auth: gitHubAuth(), publicRead: false });
    try {
      const { loginUrl, doneUrl } = await startLogin();

      // Act
      const page = await browse(loginUrl.replace(registry.url, other.url), other.url);
      const done = await fetch(doneUrl);

      // Assess
      expect(page.status).toBe(200);
      expect(done.status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('leaves abandoned logins to the sweep once they have expired', async () => {
    // Prepare
    await startLogin();
    await startLogin();
    const sessions = new LoginSessions(storage, () => new Date(clock));

    // Act
    const early = await sessions.sweepExpired();
    clock += LOGIN_SESSION_TTL_MS;
    const late = await sessions.sweepExpired();

    // Assess
    expect([early, late]).toEqual([0, 2]);
    expect((await storage.list({ prefix: 'auth/logins/' })).objects).toEqual([]);
  });

  it('answers 410 once the login has expired', async () => {
    const { doneUrl } = await startLogin();
    clock += 11 * 60_000;
    expect((await fetch(doneUrl)).status).toBe(410);
  });
});

describe('memberships', () => {
  it('asks GitHub once per TTL, not per request, and a removed member loses the groups after it', async () => {
    // Prepare
    const token = await loggedIn();
    github.resetCalls();

    // Act: requests within the TTL, then a removal, then concurrent requests after the TTL.
    const within = await Promise.all(Array.from({ length: 5 }, () => auth.authenticate(`Bearer ${token}`)));
    github.setOrgMember('myorg', 'alice', undefined);
    clock += TTL_MS - 1;
    const stillCached = await auth.authenticate(`Bearer ${token}`);
    const callsWithin = github.calls('orgMembership');
    clock += 1;
    const after = await Promise.all(Array.from({ length: 5 }, () => auth.authenticate(`Bearer ${token}`)));
    const refused = await registry.request('/-/whoami', { token });

    // Assess
    expect(within.map((principal) => principal?.groups)).toEqual(
      Array(5).fill(['org:myorg', 'team:myorg/platform']),
    );
    expect(stillCached?.groups).toContain('org:myorg');
    expect(callsWithin).toBe(0);
    expect(after.map((principal) => principal?.groups)).toEqual(Array(5).fill([]));
    expect(github.calls('orgMembership')).toBe(1);
    // The access policy requires one of the orgs: 403, naming it.
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/alice is not an active member/);
  });

  it('refuses with 503 when GitHub is down as the memberships expire, and recovers', async () => {
    // Prepare
    const token = await loggedIn();
    github.down = true;
    clock += TTL_MS;

    // Act
    const refused = await registry.request('/-/whoami', { token });
    github.down = false;
    const recovered = await registry.request('/-/whoami', { token });

    // Assess
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /cannot check your account with GitHub/,
    );
    expect(recovered.status).toBe(200);
  });
});
