import {
  BadGatewayError,
  ForbiddenError,
  GatewayTimeoutError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
} from '@myorg/error';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubClient } from '../src/index.ts';
import { type GitHubStandIn, startGitHubStandIn } from './helpers/githubStandIn.ts';
import { closedPort, listenSilently } from './helpers/listen.ts';

let github: GitHubStandIn;

beforeEach(async () => {
  github = await startGitHubStandIn();
});

afterEach(async () => {
  await github.close();
});

function clientFor(token: string, options: { retries?: number } = {}) {
  return new GitHubClient({ token, baseUrl: `${github.baseUrl}/`, retryDelayMs: 5, ...options });
}

describe('GitHubClient user and scopes', () => {
  it('returns the authenticated user, sending the token to the configured API root', async () => {
    // Act
    const user = await clientFor('ghp_classicAdmin').getAuthenticatedUser();

    // Assess
    expect(user).toEqual({ login: 'octocat', id: 583231, name: 'The Octocat' });
    expect(github.requests[0]?.url).toBe('/api/v3/user');
    expect(github.requests[0]?.headers.authorization).toBe('token ghp_classicAdmin');
  });

  it('leaves name out for a user without one', async () => {
    await expect(clientFor('ghp_classicNarrow').getAuthenticatedUser()).resolves.toEqual({
      login: 'hubot',
      id: 1001,
    });
  });

  it('reads the token scopes from X-OAuth-Scopes, and none for a fine-grained token', async () => {
    await expect(clientFor('ghp_classicAdmin').getTokenScopes()).resolves.toEqual([
      'repo',
      'admin:repo_hook',
      'read:org',
    ]);
    await expect(clientFor('github_pat_fineGrained').getTokenScopes()).resolves.toEqual([]);
  });

  it('accepts required scopes that parent scopes cover', async () => {
    await expect(
      clientFor('ghp_classicAdmin').requireScopes([
        'public_repo',
        'write:repo_hook',
        'read:repo_hook',
        'read:org',
      ]),
    ).resolves.toBeUndefined();
  });

  it('names every missing scope in a ForbiddenError', async () => {
    // Act
    const error = await clientFor('ghp_classicNarrow')
      .requireScopes(['repo', 'admin:repo_hook', 'public_repo'])
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({
      details: { missing: ['repo', 'admin:repo_hook'], granted: ['public_repo'] },
    });
    expect((error as Error).message).toContain('lacks the scope(s) repo, admin:repo_hook');
  });

  it('explains that a fine-grained token reports no scopes', async () => {
    await expect(clientFor('github_pat_fineGrained').requireScopes(['repo'])).rejects.toThrow(/fine-grained/);
  });

  it('maps a rejected token to UnauthorizedError, keeping the Octokit error as cause and the token out', async () => {
    // Act
    const error = await clientFor('ghp_revokedSecret')
      .getAuthenticatedUser()
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as Error).message).toBe('GitHub answered 401 to GET /user: Bad credentials');
    expect((error as Error).message).not.toContain('ghp_revokedSecret');
    expect((error as Error).cause).toMatchObject({ name: 'HttpError', status: 401 });
    expect(github.requests).toHaveLength(1);
  });

  it('refuses to start without a token', () => {
    expect(() => new GitHubClient({ token: '' })).toThrow(/token is required/);
  });
});

describe('GitHubClient organisations and repositories', () => {
  it('answers organisation membership as GitHub reports it', async () => {
    // Prepare
    const member = clientFor('ghp_classicAdmin');

    // Act
    const results = await Promise.all([
      member.isOrgMember('myorg', 'monalisa'),
      member.isOrgMember('myorg', 'hubot'),
      clientFor('ghp_classicNarrow').isOrgMember('myorg', 'octocat'),
    ]);

    // Assess: the last asker is no member and gets a 302, which is not followed.
    expect(results).toEqual([true, false, false]);
    expect(github.requests.map((request) => request.url).sort()).toEqual([
      '/api/v3/orgs/myorg/members/hubot',
      '/api/v3/orgs/myorg/members/monalisa',
      '/api/v3/orgs/myorg/members/octocat',
    ]);
  });

  it('raises, rather than answering false, when membership cannot be checked at all', async () => {
    await expect(clientFor('ghp_revoked').isOrgMember('myorg', 'octocat')).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('returns the facts of a repository', async () => {
    await expect(clientFor('ghp_classicAdmin').getRepository('myorg', 'platform')).resolves.toEqual({
      fullName: 'myorg/platform',
      defaultBranch: 'main',
      private: true,
    });
  });

  it('maps a missing repository to NotFoundError', async () => {
    const error = await clientFor('ghp_classicAdmin')
      .getRepository('myorg', 'gone')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe('GitHub answered 404 to GET /repos/{owner}/{repo}: Not Found');
  });
});

describe('GitHubClient failures, retries and timeouts', () => {
  it('maps a spent rate limit to TooManyRequestsError with the wait until reset, without retrying', async () => {
    // Prepare
    const reset = Math.floor(Date.now() / 1000) + 1800;
    github.canned.push({
      status: 403,
      body: { message: 'API rate limit exceeded for user ID 583231.' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    });

    // Act
    const error = await clientFor('ghp_classicAdmin')
      .getAuthenticatedUser()
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(TooManyRequestsError);
    const wait = Number((error as TooManyRequestsError).headers['retry-after']);
    expect(wait).toBeGreaterThan(1790);
    expect(wait).toBeLessThanOrEqual(1800);
    expect(github.requests).toHaveLength(1);
  });

  it('waits out a short secondary rate limit and tries again', async () => {
    // Prepare
    github.canned.push({
      status: 429,
      body: { message: 'secondary rate limit' },
      headers: { 'retry-after': '0' },
    });

    // Act
    const user = await clientFor('ghp_classicAdmin').getAuthenticatedUser();

    // Assess
    expect(user.login).toBe('octocat');
    expect(github.requests).toHaveLength(2);
  });

  it('maps a plain 403 to ForbiddenError', async () => {
    github.canned.push({ status: 403, body: { message: 'Resource not accessible by integration' } });
    await expect(clientFor('ghp_classicAdmin').getRepository('myorg', 'platform')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('maps other client errors by status', async () => {
    github.canned.push({ status: 422, body: { message: 'Validation Failed' } });
    await expect(clientFor('ghp_classicAdmin').getRepository('myorg', 'platform')).rejects.toMatchObject({
      status: 422,
      message: 'GitHub answered 422 to GET /repos/{owner}/{repo}: Validation Failed',
    });
  });

  it('retries GitHub server errors and reports the last one as a bad gateway', async () => {
    // Prepare
    github.canned.push(
      { status: 502, body: 'Server Error' },
      { status: 503, body: {}, headers: { 'retry-after': '0' } },
    );

    // Act
    const recovered = await clientFor('ghp_classicAdmin').getAuthenticatedUser();
    github.canned.push({ status: 500, body: { message: 'boom' } });
    const error = await clientFor('ghp_classicAdmin', { retries: 0 })
      .getAuthenticatedUser()
      .catch((caught: unknown) => caught);

    // Assess
    expect(recovered.login).toBe('octocat');
    expect(error).toBeInstanceOf(BadGatewayError);
    expect(error).toMatchObject({ details: { status: 500 } });
    expect(github.requests).toHaveLength(4);
  });

  it('times out each attempt against a server that never answers', async () => {
    // Prepare
    const silent = await listenSilently();
    const client = new GitHubClient({
      token: 'ghp_x',
      baseUrl: silent.origin,
      timeoutMs: 100,
      retries: 1,
      retryDelayMs: 1,
    });

    // Act
    const error = await client.getAuthenticatedUser().catch((caught: unknown) => caught);
    await silent.close();

    // Assess
    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', details: { method: 'GET', url: '/user' } });
    expect(silent.requests).toBe(2);
  });

  it('keeps ECONNREFUSED when GitHub cannot be reached', async () => {
    const port = await closedPort();
    const client = new GitHubClient({ token: 'ghp_x', baseUrl: `http://127.0.0.1:${port}`, retries: 0 });
    await expect(client.getTokenScopes()).rejects.toMatchObject({ status: 502, code: 'ECONNREFUSED' });
  });
});
