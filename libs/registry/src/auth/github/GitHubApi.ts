import { Header } from '@myorg/constants';
import { ServiceUnavailableError, UnauthorizedError } from '@myorg/error';
import { GitHubClient, type GitHubUser } from '@myorg/services';
import type { GitHubConfig } from '../../config/parseRegistryConfig.ts';
import { AuthMessages } from '../messages.ts';

export type { GitHubUser };

/** GitHub is asked while a request waits: a slow answer must not hold it for long. */
const TIMEOUT_MS = 10_000;
const RETRIES = 1;

/** What the GitHub provider asks GitHub. */
export interface GitHubApi {
  /** The account a user's token (personal access or OAuth) belongs to; undefined when GitHub refuses the token. */
  userFor(token: string): Promise<GitHubUser | undefined>;
  /**
   * The subjects `login` holds, asked with the registry's own token: `org:<org>` for each org of
   * `orgs` (and of the teams) with an active membership, `team:<org>/<slug>` for each team of
   * `teams` with an active membership in an org the user actively belongs to.
   */
  groupsOf(login: string): Promise<string[]>;
  /** The OAuth web flow's last step: an authorisation code for the user's access token. */
  exchangeCode(code: string, redirectUri: string): Promise<string>;
}

/**
 * `teams` are the `team:<org>/<slug>` subjects the rule file names: only those are asked about,
 * so a login costs one call per org and per named team, never a listing of all teams.
 */
export function createGitHubApi(config: GitHubConfig, teams: readonly string[]): GitHubApi {
  const registry = client(config, config.token);
  const teamsByOrg = new Map<string, string[]>(config.orgs.map((org) => [org, []]));
  for (const subject of teams) {
    const [org = '', slug = ''] = subject.slice('team:'.length).split('/');
    teamsByOrg.set(org, [...(teamsByOrg.get(org) ?? []), slug]);
  }

  return {
    async userFor(token) {
      try {
        return await client(config, token).getAuthenticatedUser();
      } catch (error) {
        if (error instanceof UnauthorizedError) return undefined;
        throw unavailable(error);
      }
    },
    async groupsOf(login) {
      try {
        const perOrg = await Promise.all(
          [...teamsByOrg].map(async ([org, slugs]) => {
            if ((await registry.getOrgMembershipState(org, login)) !== 'active') return [];
            const states = await Promise.all(
              slugs.map((slug) => registry.getTeamMembershipState(org, slug, login)),
            );
            return [
              `org:${org}`,
              ...slugs.filter((_, i) => states[i] === 'active').map((s) => `team:${org}/${s}`),
            ];
          }),
        );
        return perOrg.flat();
      } catch (error) {
        // The registry's own token failing (revoked, rate-limited) says nothing about the user: refuse
        // for now rather than answer 401 or let the request through.
        throw unavailable(error);
      }
    },
    async exchangeCode(code, redirectUri) {
      // Not a REST call: GitHub's OAuth endpoint on the web host ("Authorizing OAuth apps", step 2).
      let answer: { access_token?: unknown; error?: unknown; error_description?: unknown };
      try {
        const response = await fetch(`${config.webUrl}/login/oauth/access_token`, {
          method: 'POST',
          headers: { [Header.ACCEPT]: 'application/json', [Header.CONTENT_TYPE]: 'application/json' },
          body: JSON.stringify({
            client_id: config.clientId,
            client_secret: config.clientSecret,
            code,
            redirect_uri: redirectUri,
          }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (!response.ok) throw new Error(`GitHub answered ${response.status} to the code exchange`);
        answer = (await response.json()) as typeof answer;
      } catch (error) {
        throw unavailable(error);
      }
      if (typeof answer.access_token === 'string' && answer.access_token !== '') return answer.access_token;
      // GitHub answers 200 with `error` (bad_verification_code, incorrect_client_credentials, ...).
      const reason = String(answer.error_description ?? answer.error ?? 'no access token');
      throw new UnauthorizedError(AuthMessages.oauthRefused(reason));
    },
  };
}

function client(config: GitHubConfig, token: string): GitHubClient {
  return new GitHubClient({ token, baseUrl: config.apiUrl, timeoutMs: TIMEOUT_MS, retries: RETRIES });
}

function unavailable(error: unknown): ServiceUnavailableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ServiceUnavailableError(AuthMessages.githubUnavailable(reason), {
    cause: error,
    headers: { [Header.RETRY_AFTER]: '30' },
  });
}
