import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/** What the job that asks for an id-token is: the claims GitHub derives from the workflow run. */
export interface ActionsRun {
  /** `owner/repo`. */
  repository: string;
  /** The workflow file, e.g. `release.yml`. */
  workflow: string;
  environment?: string;
  /** Default `refs/heads/main`. */
  ref?: string;
}

/** How the next id-tokens are made, for refusal tests. */
export interface IdTokenOptions {
  run: ActionsRun;
  /** The `aud` claim; the audience asked for when unset. */
  audience?: string;
  /** Seconds until `exp` (negative: already expired). Default 300, as GitHub's live about 5 minutes. */
  lifetimeSeconds?: number;
  /** The `iss` claim; the stand-in's own when unset. */
  issuer?: string;
  /** Sign with a key the issuer's key set does not hold. */
  foreignKey?: boolean;
  /** Claims to add or override. */
  extra?: Record<string, unknown>;
}

export interface OidcIssuerStandIn {
  /** The issuer URL (REGISTRY_OIDC_ISSUER), no trailing slash. */
  readonly issuer: string;
  /** What GitHub Actions puts in ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly actionsEnv: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** Sets what the token-request endpoint hands out from now on. */
  setRun(options: IdTokenOptions): void;
  /** Signs an id-token directly, as the token-request endpoint would for `audience`. */
  idToken(options: IdTokenOptions & { audience: string }): Promise<string>;
  /** Requests seen per path, for asserting that keys are cached. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

const JWKS_PATH = '/.well-known/jwks';
const TOKEN_PATH = '/_apis/idtoken';

/**
 * A stand-in for GitHub Actions' OIDC provider on 127.0.0.1 (random port), serving:
 * - `/.well-known/openid-configuration` and `/.well-known/jwks`, as GitHub's "About security
 *   hardening with OpenID Connect" describes its issuer (OpenID Connect Discovery 1.0, RFC 7517),
 * - the runner's token-request endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`): `GET ...&audience=<aud>`
 *   with `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` answers `{count, value}`, as the
 *   Actions toolkit's `core.getIDToken` reads it.
 * Tokens are RS256 with the claims GitHub documents for a workflow run.
 */
export async function startOidcIssuerStandIn(): Promise<OidcIssuerStandIn> {
  const keys = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256');
  const kid = randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const requestToken = randomBytes(24).toString('base64url');
  const hits = new Map<string, number>();
  let current: IdTokenOptions = { run: { repository: 'myorg/platform', workflow: 'release.yml' } };
  let issuer = '';

  const idToken = async (options: IdTokenOptions & { audience: string }): Promise<string> => {
    const { run } = options;
    const now = Math.floor(Date.now() / 1000);
    const lifetime = options.lifetimeSeconds ?? 300;
    const ref = run.ref ?? 'refs/heads/main';
    const [owner = ''] = run.repository.split('/');
    const workflowRef = `${run.repository}/.github/workflows/${run.workflow}@${ref}`;
    const claims: JWTPayload = {
      jti: randomUUID(),
      sub: `repo:${run.repository}:${run.environment === undefined ? `ref:${ref}` : `environment:${run.environment}`}`,
      ref,
      sha: randomBytes(20).toString('hex'),
      repository: run.repository,
      repository_owner: owner,
      // `public` would make npm try provenance through sigstore's public services.
      repository_visibility: 'private',
      run_id: '1',
      run_number: '1',
      run_attempt: '1',
      actor: 'octocat',
      event_name: 'push',
      ref_type: 'branch',
      workflow: 'Release',
      workflow_ref: workflowRef,
      job_workflow_ref: workflowRef,
      ...(run.environment === undefined ? {} : { environment: run.environment }),
      ...options.extra,
    };
    return await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience)
      .setIssuedAt(Math.min(now, now + lifetime - 60))
      .setNotBefore(Math.min(now, now + lifetime - 60))
      .setExpirationTime(now + lifetime)
      .sign(options.foreignKey ? foreign.privateKey : keys.privateKey);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (req.method !== 'GET') return send(res, 405, { message: 'method not allowed' });
    if (url.pathname === '/.well-known/openid-configuration') {
      return send(res, 200, {
        issuer,
        jwks_uri: `${issuer}${JWKS_PATH}`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: [
          'sub',
          'aud',
          'exp',
          'iat',
          'iss',
          'jti',
          'nbf',
          'ref',
          'repository',
          'environment',
        ],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
    }
    if (url.pathname === JWKS_PATH) return send(res, 200, { keys: [publicJwk] });
    if (url.pathname === TOKEN_PATH) {
      if (req.headers.authorization !== `Bearer ${requestToken}`)
        return send(res, 401, { message: 'bad request token' });
      const audience = url.searchParams.get('audience') ?? issuer;
      const value = await idToken({ ...current, audience: current.audience ?? audience });
      return send(res, 200, { count: value.length, value });
    }
    return send(res, 404, { message: 'not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { message: 'stand-in failed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    actionsEnv: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer}${TOKEN_PATH}?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    },
    setRun(options) {
      current = options;
    },
    idToken,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
