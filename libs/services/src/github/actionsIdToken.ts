import { BadGatewayError } from '@myorg/error';
import { isPlainObject } from '@myorg/utilities';

/** Where a GitHub Actions job asks for its OIDC id-token: set only with `permissions: id-token: write`. */
export interface ActionsIdTokenSource {
  url: string;
  token: string;
}

const TIMEOUT_MS = 30_000;

/** The job's id-token endpoint from ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN; undefined outside such a job. */
export function actionsIdTokenSource(env: NodeJS.ProcessEnv): ActionsIdTokenSource | undefined {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  return url && token ? { url, token } : undefined;
}

/**
 * An id-token for `audience`, asked of the runner as the Actions toolkit's `core.getIDToken` does:
 * `GET <url>&audience=<audience>` with the request token as Bearer, answered `{value}`.
 */
export async function requestActionsIdToken(source: ActionsIdTokenSource, audience: string): Promise<string> {
  const url = new URL(source.url);
  url.searchParams.append('audience', audience);
  const response = await fetch(url, {
    headers: { accept: 'application/json', authorization: `Bearer ${source.token}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body: unknown = await response.json().catch(() => undefined);
  const value = isPlainObject(body) ? body.value : undefined;
  if (!response.ok || typeof value !== 'string' || value === '') {
    throw new BadGatewayError(
      `GitHub Actions handed out no id-token (HTTP ${response.status}): does the job have \`permissions: id-token: write\`?`,
    );
  }
  return value;
}
