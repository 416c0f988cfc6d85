import type { IncomingHttpHeaders } from 'node:http';
import { listen, sendJson } from './listen.ts';

/**
 * A loopback stand-in for the GitHub REST API, mounted under `/api/v3` as GitHub Enterprise
 * Server is. It follows these pages of GitHub's REST documentation:
 * - "Get the authenticated user" (GET /user): 200 with the user, 401 `Bad credentials` /
 *   `Requires authentication` otherwise.
 * - "Scopes for OAuth apps", section "Checking headers to see what OAuth scopes you have": classic
 *   tokens get `X-OAuth-Scopes` with their comma-separated scopes; fine-grained tokens get none.
 * - "Check organization membership for a user" (GET /orgs/{org}/members/{username}): 204 when the
 *   requester is an org member and the user is a member, 404 when the requester is a member and
 *   the user is not, 302 to the public-members URL when the requester is not a member.
 * - "Get a repository" (GET /repos/{owner}/{repo}): 200 with the repository, 404 `Not Found`.
 * - "Rate limits for the REST API": a spent primary limit answers 403 with
 *   `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (epoch seconds).
 */
export const API_PREFIX = '/api/v3';

const DOCS = 'https://docs.github.com/rest';

interface Account {
  login: string;
  id: number;
  name: string | null;
  /** `X-OAuth-Scopes`, or undefined for a fine-grained token. */
  scopes?: string;
}

export const TOKENS: Record<string, Account> = {
  ghp_classicAdmin: {
    login: 'octocat',
    id: 583231,
    name: 'The Octocat',
    scopes: 'repo, admin:repo_hook, read:org',
  },
  ghp_classicNarrow: { login: 'hubot', id: 1001, name: null, scopes: 'public_repo' },
  github_pat_fineGrained: { login: 'monalisa', id: 2002, name: 'Mona Lisa' },
};

const ORG_MEMBERS: Record<string, string[]> = { myorg: ['octocat', 'monalisa'] };

const REPOSITORIES: Record<string, { private: boolean; default_branch: string }> = {
  'myorg/platform': { private: true, default_branch: 'main' },
  'myorg/docs': { private: false, default_branch: 'trunk' },
};

export interface CannedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface GitHubStandIn {
  /** The API root to pass as `baseUrl`. */
  baseUrl: string;
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  canned: CannedAnswer[];
  close(): Promise<void>;
}

export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  const requests: GitHubStandIn['requests'] = [];
  const canned: CannedAnswer[] = [];
  const server = await listen((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    const answer = canned.shift();
    if (answer) return sendJson(response, answer.status, answer.body ?? {}, answer.headers);
    const path = (request.url ?? '').slice(API_PREFIX.length);
    const authorization = request.headers.authorization;
    if (!authorization) {
      return sendJson(response, 401, { message: 'Requires authentication', documentation_url: DOCS });
    }
    const account = TOKENS[authorization.replace(/^(token|bearer) /i, '')];
    if (!account) return sendJson(response, 401, { message: 'Bad credentials', documentation_url: DOCS });

    if (request.method === 'GET' && path === '/user') {
      const headers: Record<string, string> =
        account.scopes === undefined ? {} : { 'x-oauth-scopes': account.scopes };
      const { login, id, name } = account;
      return sendJson(response, 200, { login, id, name, type: 'User', site_admin: false }, headers);
    }
    const membership = /^\/orgs\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && membership) {
      const members = ORG_MEMBERS[membership[1]!] ?? [];
      if (!members.includes(account.login)) {
        response.writeHead(302, {
          location: `${API_PREFIX}/orgs/${membership[1]}/public_members/${membership[2]}`,
        });
        return void response.end();
      }
      if (members.includes(membership[2]!)) {
        response.writeHead(204);
        return void response.end();
      }
      return sendJson(response, 404, { message: 'Not Found', documentation_url: DOCS });
    }
    const repository = /^\/repos\/([^/]+\/[^/]+)$/.exec(path);
    const found = repository ? REPOSITORIES[repository[1]!] : undefined;
    if (request.method === 'GET' && repository && found) {
      const [owner, name] = repository[1]!.split('/');
      return sendJson(response, 200, {
        id: 1296269,
        name,
        full_name: repository[1],
        owner: { login: owner },
        ...found,
      });
    }
    sendJson(response, 404, { message: 'Not Found', documentation_url: DOCS });
  });
  return { baseUrl: `${server.origin}${API_PREFIX}`, requests, canned, close: server.close };
}
