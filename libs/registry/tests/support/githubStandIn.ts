import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stand-in counts, one per kind of call. */
export type GitHubCall = 'user' | 'orgMembership' | 'teamMembership' | 'authorize' | 'accessToken';

type State = 'active' | 'pending';

export interface GitHubStandIn {
  /** Laid out as GitHub Enterprise Server: the web at the root, the REST API under `/api/v3`. */
  readonly webUrl: string;
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The registry's own token (REGISTRY_GITHUB_TOKEN): the only one that may read memberships. */
  readonly registryToken: string;
  /** Adds a user and answers a personal access token of theirs. */
  addUser(login: string, profile?: { name?: string; email?: string }): string;
  /** Sets (or, with undefined, removes) a membership of an org. */
  setOrgMember(org: string, login: string, state: State | undefined): void;
  setTeamMember(org: string, team: string, login: string, state: State | undefined): void;
  /** The user signed in to GitHub in "the browser": the authorize page approves for them. */
  browserUser: string | undefined;
  /** When true, every API call answers 503, as GitHub does in an outage. */
  down: boolean;
  /** How many calls of a kind came in since the start (or the last `resetCalls`). */
  calls(kind: GitHubCall): number;
  resetCalls(): void;
  /** Settings for the registry: the REGISTRY_GITHUB_* variables pointing here. */
  env(orgs: readonly string[]): Record<string, string>;
  close(): Promise<void>;
}

/**
 * A small GitHub on 127.0.0.1 (random port) for tests: the REST endpoints and the OAuth web flow
 * the `github` provider uses, answering as GitHub's docs describe, with state the test sets.
 */
export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  const tokens = new Map<string, string>(); // token → login
  const users = new Map<string, { login: string; id: number; name?: string; email?: string }>();
  const orgMembers = new Map<string, State>(); // `<org>/<login>`
  const teamMembers = new Map<string, State>(); // `<org>/<team>/<login>`
  const codes = new Map<string, { login: string; redirectUri: string }>();
  const counts = new Map<GitHubCall, number>();
  const clientId = 'Iv1.standin';
  const clientSecret = secret();
  const registryToken = `ghp_${secret()}`;
  tokens.set(registryToken, 'registry-bot');

  const count = (kind: GitHubCall) => counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  // GitHub's error bodies: `{ message, documentation_url }`.
  const notFound = (res: ServerResponse) =>
    send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  const caller = (req: IncomingMessage) => {
    // Octokit sends `token <t>`; `Bearer <t>` is accepted by GitHub too.
    const match = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '');
    return match?.[1] === undefined ? undefined : tokens.get(match[1]);
  };

  const standIn: GitHubStandIn = {
    webUrl: '',
    apiUrl: '',
    clientId,
    clientSecret,
    registryToken,
    browserUser: undefined,
    down: false,
    addUser(login, profile = {}) {
      users.set(login.toLowerCase(), { login, id: users.size + 1000, ...profile });
      const token = `ghp_${secret()}`;
      tokens.set(token, login.toLowerCase());
      return token;
    },
    setOrgMember: (org, login, state) => set(orgMembers, `${org}/${login}`.toLowerCase(), state),
    setTeamMember: (org, team, login, state) =>
      set(teamMembers, `${org}/${team}/${login}`.toLowerCase(), state),
    calls: (kind) => counts.get(kind) ?? 0,
    resetCalls: () => counts.clear(),
    env: (orgs) => ({
      REGISTRY_AUTH: 'github',
      REGISTRY_GITHUB_URL: standIn.webUrl,
      REGISTRY_GITHUB_API_URL: standIn.apiUrl,
      REGISTRY_GITHUB_CLIENT_ID: clientId,
      REGISTRY_GITHUB_CLIENT_SECRET: clientSecret,
      REGISTRY_GITHUB_TOKEN: registryToken,
      REGISTRY_GITHUB_ORGS: orgs.join(','),
    }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', standIn.webUrl);
    const path = url.pathname;
    if (path.startsWith('/api/v3/') && standIn.down) {
      send(res, 503, { message: 'Service Unavailable' });
      return;
    }
    const orgMembership = /^\/api\/v3\/orgs\/([^/]+)\/memberships\/([^/]+)$/.exec(path);
    const teamMembership = /^\/api\/v3\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && path === '/api/v3/user') {
      // "Get the authenticated user" (REST: users): 401 `Bad credentials` for an unknown token.
      count('user');
      const user = users.get(caller(req) ?? '');
      if (user === undefined) {
        send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
        return;
      }
      send(res, 200, {
        login: user.login,
        id: user.id,
        type: 'User',
        name: user.name ?? null,
        email: user.email ?? null,
      });
    } else if (req.method === 'GET' && orgMembership) {
      // "Get organization membership for a user" (REST: orgs/members): 200 with `state`
      // (active | pending) and `role`, 404 for a non-member; the caller must belong to the org.
      count('orgMembership');
      const [org = '', login = ''] = [orgMembership[1], orgMembership[2]].map((part) =>
        decodeURIComponent(part ?? '').toLowerCase(),
      );
      if (caller(req) !== 'registry-bot') return send(res, 401, { message: 'Bad credentials' });
      const state = orgMembers.get(`${org}/${login}`);
      if (state === undefined) return notFound(res);
      send(res, 200, {
        url: `${standIn.apiUrl}/orgs/${org}/memberships/${login}`,
        state,
        role: 'member',
        organization_url: `${standIn.apiUrl}/orgs/${org}`,
        organization: { login: org },
        user: { login },
      });
    } else if (req.method === 'GET' && teamMembership) {
      // "Get team membership for a user" (REST: teams/members): 200 with `state` and `role`, 404
      // when the user is not on the team (GitHub does not say whether the team exists).
      count('teamMembership');
      const [org, team, login] = [teamMembership[1], teamMembership[2], teamMembership[3]].map((part) =>
        decodeURIComponent(part ?? '').toLowerCase(),
      );
      if (caller(req) !== 'registry-bot') return send(res, 401, { message: 'Bad credentials' });
      const state = teamMembers.get(`${org}/${team}/${login}`);
      if (state === undefined) return notFound(res);
      send(res, 200, { url: `${standIn.apiUrl}/teams/1/memberships/${login}`, role: 'member', state });
    } else if (req.method === 'GET' && path === '/login/oauth/authorize') {
      // "Authorizing OAuth apps", web flow step 1: the signed-in user approves, and GitHub redirects
      // to `redirect_uri` with a one-time `code` and the `state` given.
      count('authorize');
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      const login = standIn.browserUser;
      if (url.searchParams.get('client_id') !== clientId || login === undefined || redirectUri === '') {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('bad authorize request');
        return;
      }
      const code = secret();
      codes.set(code, { login, redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href }).end();
    } else if (req.method === 'POST' && path === '/login/oauth/access_token') {
      // Step 2: the code (once, with the same redirect_uri) and the app's credentials for the
      // user's access token; failures are 200s with `error`, as GitHub answers them.
      count('accessToken');
      const body = await readBody(req);
      const grant = codes.get(String(body.code));
      codes.delete(String(body.code));
      if (body.client_id !== clientId || body.client_secret !== clientSecret) {
        return send(res, 200, {
          error: 'incorrect_client_credentials',
          error_description: 'The client_id and/or client_secret passed are incorrect.',
        });
      }
      if (
        grant === undefined ||
        (body.redirect_uri !== undefined && body.redirect_uri !== grant.redirectUri)
      ) {
        return send(res, 200, {
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
        });
      }
      const token = `gho_${secret()}`;
      tokens.set(token, grant.login.toLowerCase());
      send(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:org' });
    } else {
      notFound(res);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(standIn, { webUrl: `http://127.0.0.1:${port}`, apiUrl: `http://127.0.0.1:${port}/api/v3` });
  return standIn;
}

/** The registry's GitHub settings (`GitHubConfig`) pointing at `standIn`. */
export function gitHubConfig(standIn: GitHubStandIn, orgs: string[], membershipTtlMs: number) {
  return {
    webUrl: standIn.webUrl,
    apiUrl: standIn.apiUrl,
    clientId: standIn.clientId,
    clientSecret: standIn.clientSecret,
    token: standIn.registryToken,
    orgs,
    membershipTtlMs,
  };
}

function set<K, V>(map: Map<K, V>, key: K, value: V | undefined): void {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}

function secret(): string {
  return randomBytes(16).toString('hex');
}

/** A JSON or form-encoded body, as GitHub's token endpoint accepts both. */
async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('json'))
    return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(text));
}
