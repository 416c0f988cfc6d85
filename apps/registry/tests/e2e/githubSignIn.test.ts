import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GitHubStandIn,
  startGitHubStandIn,
} from '../../../../libs/registry/tests/support/githubStandIn.ts';
import { request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import type { StartOptions } from './support/registryServer.ts';

/**
 * REGISTRY_AUTH=github with the real npm CLI: web login (npm prints the login URL without a
 * terminal; the test is the browser and GitHub's stand-in approves), legacy login with a personal
 * access token, token management and logout.
 */
describe('GitHub sign-in with the npm CLI', { timeout: 120_000 }, () => {
  let github: GitHubStandIn;
  let alicePat: string;
  let bobPat: string;
  // Filled in before the session's own hook starts the server: it needs the stand-in's URLs.
  const server: StartOptions = { access: 'default' };

  beforeAll(async () => {
    github = await startGitHubStandIn();
    alicePat = github.addUser('Alice', { email: 'alice@example.test' });
    bobPat = github.addUser('bob');
    github.setOrgMember('myorg', 'alice', 'active');
    github.setOrgMember('myorg', 'bob', 'pending');
    server.env = github.env(['myorg']);
  });
  afterAll(() => github?.close());

  const session = useNpmSession({ label: 'github-sign-in', server });

  /** What a browser does with the login URL: to GitHub, which approves, and back to the registry. */
  async function browse(loginUrl: string): Promise<string> {
    let url = loginUrl;
    for (let hop = 0; hop < 3; hop++) {
      const response = await fetch(url, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (location === null) return `${response.status} ${await response.text()}`;
      url = location;
    }
    throw new Error(`too many redirects from ${loginUrl}`);
  }

  it('signs in with npm login in a browser, and whoami names the GitHub user', async () => {
    // Prepare
    await session.client.setToken(undefined);
    github.browserUser = 'alice';
    let page: Promise<string> | undefined;

    // Act
    const login = await session.client.npm(['login'], {
      onStdout: (stdout) => {
        const loginUrl = /Login at:\s*(\S+)/.exec(stdout)?.[1];
        if (loginUrl !== undefined && page === undefined) page = browse(loginUrl);
      },
    });
    const whoami = await session.client.npm(['whoami']);

    // Assess
    expect(login.code, `${login.stdout}\n${login.stderr}`).toBe(0);
    expect(await page).toMatch(/^200 .*Signed in to the registry as alice/);
    expect(login.stdout).toMatch(/Logged in on/);
    expect(whoami.stdout.trim()).toBe('alice');
  });

  it('signs in with pnpm login in a browser too', async () => {
    // Prepare
    await session.client.setToken(undefined);
    github.browserUser = 'alice';
    let page: Promise<string> | undefined;

    // Act
    const login = await session.client.pnpm(['login', '--registry', session.server.url], {
      onStdout: (stdout) => {
        const loginUrl = /(http:\/\/\S+\/-\/myorg\/v1\/login\/github\/start\/\S+)/.exec(stdout)?.[1];
        if (loginUrl !== undefined && page === undefined) page = browse(loginUrl);
      },
    });
    const whoami = await session.client.pnpm(['whoami', '--registry', session.server.url]);

    // Assess
    expect(login.code, `${login.stdout}\n${login.stderr}`).toBe(0);
    expect(await page).toMatch(/^200 /);
    expect(whoami.stdout.trim()).toBe('alice');
  });

  it('signs in with npm login --auth-type=legacy and a personal access token', async () => {
    // Prepare
    await session.client.setToken(undefined);

    // Act
    const login = await session.client.npmInteractive(
      ['login', '--auth-type=legacy'],
      [
        [/Username:\s*$/, 'alice'],
        [/Password:\s*$/, alicePat],
      ],
    );
    const whoami = await session.client.npm(['whoami']);

    // Assess
    expect(login.code, login.stdout).toBe(0);
    expect(whoami.stdout.trim()).toBe('alice');
    expect(login.stdout).not.toContain(alicePat);
    // Neither the user's GitHub token nor the app's secret reaches the registry's log.
    expect(session.server.output()).not.toContain(alicePat);
    expect(session.server.output()).not.toContain(github.clientSecret);
  });

  it('refuses a user whose org invitation is still pending, saying why', async () => {
    // Prepare
    await session.client.setToken(undefined);

    // Act
    const login = await session.client.npmInteractive(
      ['login', '--auth-type=legacy'],
      [
        [/Username:\s*$/, 'bob'],
        [/Password:\s*$/, bobPat],
      ],
    );

    // Assess
    expect(login.code).not.toBe(0);
    expect(login.stdout).toMatch(/bob is not an active member of the GitHub organisation\(s\) myorg/);
    expect(await session.client.savedToken()).toBeUndefined();
  });

  it('creates, lists and revokes tokens with a GitHub token as the password, then logs out', async () => {
    // Prepare: signed in as alice (previous test signed nobody in).
    await session.client.npmInteractive(
      ['login', '--auth-type=legacy'],
      [
        [/Username:\s*$/, 'alice'],
        [/Password:\s*$/, alicePat],
      ],
    );
    const loginToken = await session.client.savedToken();

    // Act
    const refused = await session.client.npm(['token', 'create', '--password=not-a-github-token', '--json']);
    const created = await session.client.npmOk(['token', 'create', `--password=${alicePat}`, '--json']);
    const { token } = JSON.parse(created.stdout) as { token: string };
    const listed = JSON.parse((await session.client.npmOk(['token', 'list', '--json'])).stdout) as {
      key: string;
      token: string;
      expires?: string;
    }[];
    const entry = listed.find((candidate) => token.startsWith(candidate.token));
    await session.client.npmOk(['token', 'revoke', entry?.key ?? 'missing']);
    const revokedWhoami = await request(session.server, '/-/whoami', { token });
    await session.client.npmOk(['logout']);
    const loggedOutWhoami = await request(session.server, '/-/whoami', { token: loginToken });

    // Assess
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/GitHub personal access token/);
    // Tokens that can publish expire (REGISTRY_TOKEN_MAX_AGE, 90 days by default).
    expect(entry?.expires).toEqual(expect.any(String));
    expect(revokedWhoami.status).toBe(401);
    expect(loggedOutWhoami.status).toBe(401);
  });
});
