import { BadRequestError, ForbiddenError, NotFoundError } from '@myorg/error';
import { Octokit } from '@octokit/rest';
import { AttemptDeadline } from '../http/AttemptDeadline.ts';
import { withRetries } from '../http/withRetries.ts';
import { githubError } from './githubError.ts';
import { missingScopes, parseScopes } from './scopes.ts';

export interface GitHubClientOptions {
  /** A personal access token (classic or fine-grained) or an OAuth token. */
  token: string;
  /** API root for GitHub Enterprise Server (`https://host/api/v3`) or a stand-in; defaults to GitHub's own API. */
  baseUrl?: string;
  /** Limit for each attempt, in milliseconds. Defaults to 30 s. */
  timeoutMs?: number;
  /** Extra attempts for GET requests after network errors, timeouts, 5xx and short rate-limit waits. Defaults to 2. */
  retries?: number;
  /** First backoff pause, doubling per retry, when GitHub sends no `Retry-After`. Defaults to 500 ms. */
  retryDelayMs?: number;
  userAgent?: string;
}

export interface GitHubUser {
  login: string;
  id: number;
  name?: string;
  /** The public e-mail address, when the user shows one. */
  email?: string;
}

/** A membership GitHub knows of: `pending` is an invitation not yet accepted. */
export type MembershipState = 'active' | 'pending';

export interface GitHubRepository {
  /** `owner/name`. */
  fullName: string;
  defaultBranch: string;
  private: boolean;
}

/**
 * The few GitHub REST calls the platform makes, on Octokit, with a time limit per attempt,
 * retries for reads, and failures as @myorg/error classes.
 */
export class GitHubClient {
  readonly #octokit: Octokit;
  readonly #timeoutMs: number;

  constructor(options: GitHubClientOptions) {
    if (!options.token) throw new BadRequestError('a GitHub token is required');
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    const retries = options.retries ?? 2;
    const retryDelayMs = options.retryDelayMs ?? 500;
    this.#octokit = new Octokit({
      auth: options.token,
      ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl.replace(/\/+$/, '') }),
      ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
      // Failures reach the caller as thrown errors; Octokit printing them as well would only repeat them.
      log: { debug: ignore, info: ignore, warn: console.warn, error: ignore },
    });
    // Wrapping Octokit's request hook puts every call, whatever the endpoint method, under the same policy.
    this.#octokit.hook.wrap('request', (request, endpoint) => {
      const idempotent = endpoint.method === 'GET' || endpoint.method === 'HEAD';
      const attempt = async () => {
        const deadline = new AttemptDeadline(this.#timeoutMs);
        try {
          // Octokit's inner hooks (auth among them) read the options object they were bound to and
          // ignore one passed in, so the attempt's signal has to be set on that very object.
          endpoint.request = { ...endpoint.request, signal: deadline.signal };
          return await request(endpoint);
        } catch (error) {
          throw githubError(error, endpoint.method, endpoint.url, deadline);
        } finally {
          deadline.clear();
        }
      };
      return withRetries(attempt, { retries: idempotent ? retries : 0, retryDelayMs });
    });
  }

  /** The account the token belongs to. */
  async getAuthenticatedUser(): Promise<GitHubUser> {
    const { data } = await this.#octokit.rest.users.getAuthenticated();
    return {
      login: data.login,
      id: data.id,
      ...(data.name ? { name: data.name } : {}),
      ...(data.email ? { email: data.email } : {}),
    };
  }

  /** The OAuth scopes of the token, from `X-OAuth-Scopes`; empty for fine-grained tokens, which have none. */
  async getTokenScopes(): Promise<string[]> {
    const { headers } = await this.#octokit.rest.users.getAuthenticated();
    return parseScopes(headers['x-oauth-scopes']);
  }

  /** Throws a ForbiddenError naming every scope in `required` the token lacks (parent scopes count). */
  async requireScopes(required: readonly string[]): Promise<void> {
    const granted = await this.getTokenScopes();
    const missing = missingScopes(granted, required);
    if (missing.length === 0) return;
    const has =
      granted.length > 0 ? `it has ${granted.join(', ')}` : 'it reports none, as fine-grained tokens do';
    throw new ForbiddenError(`the GitHub token lacks the scope(s) ${missing.join(', ')} (${has})`, {
      code: 'EGITHUBSCOPES',
      details: { missing, granted },
    });
  }

  /**
   * Whether `username` belongs to `org`. GitHub answers 204 for a member, 404 for a non-member,
   * and 302 when the token's own user is not a member and so may not ask: that counts as false.
   */
  async isOrgMember(org: string, username: string): Promise<boolean> {
    try {
      const { status } = await this.#octokit.rest.orgs.checkMembershipForUser({
        org,
        username,
        request: { redirect: 'manual' },
      });
      // Octokit types this endpoint as answering only 302, but a member is a 204.
      return (status as number) === 204;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /**
   * `username`'s membership of `org` (`GET /orgs/{org}/memberships/{username}`), or undefined for
   * none (404). The token's own user must belong to the org to be told.
   */
  async getOrgMembershipState(org: string, username: string): Promise<MembershipState | undefined> {
    return absentOn404(async () => {
      const { data } = await this.#octokit.rest.orgs.getMembershipForUser({ org, username });
      return data.state;
    });
  }

  /**
   * `username`'s membership of the team `teamSlug` of `org`
   * (`GET /orgs/{org}/teams/{team_slug}/memberships/{username}`), or undefined for none (404).
   */
  async getTeamMembershipState(
    org: string,
    teamSlug: string,
    username: string,
  ): Promise<MembershipState | undefined> {
    return absentOn404(async () => {
      const { data } = await this.#octokit.rest.teams.getMembershipForUserInOrg({
        org,
        team_slug: teamSlug,
        username,
      });
      return data.state;
    });
  }

  async getRepository(owner: string, repo: string): Promise<GitHubRepository> {
    const { data } = await this.#octokit.rest.repos.get({ owner, repo });
    return { fullName: data.full_name, defaultBranch: data.default_branch, private: data.private };
  }
}

function ignore(): void {}

async function absentOn404<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
