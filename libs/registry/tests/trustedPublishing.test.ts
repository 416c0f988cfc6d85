import { MemoryStorage } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRulesSchema } from '../src/access/accessRules.ts';
import { createLocalAuth } from '../src/auth/local/createLocalAuth.ts';
import { hashToken } from '../src/auth/tokens/accessToken.ts';
import { TokenStore } from '../src/auth/tokens/TokenStore.ts';
import { IdTokenVerifier } from '../src/trustedPublishing/IdTokenVerifier.ts';
import { TRUSTED_PUBLISHER_USER } from '../src/trustedPublishing/trustedPublishingRoutes.ts';
import { type OidcIssuerStandIn, startOidcIssuerStandIn } from './support/oidcIssuerStandIn.ts';
import { publishBody } from './support/publishBody.ts';
import { startRegistry, type TestRegistry } from './support/startRegistry.ts';

const AUDIENCE = 'npm:127.0.0.1';
const release = { repository: 'myorg/platform', workflow: 'release.yml' };
const exchangePath = (name: string) => `/-/npm/v1/oidc/token/exchange/package/${name.replace('/', '%2f')}`;

let issuer: OidcIssuerStandIn;
let registry: TestRegistry;
const storage = new MemoryStorage();

beforeAll(async () => {
  issuer = await startOidcIssuerStandIn();
  const rules = accessRulesSchema.parse({
    trustedPublishers: [
      { match: '@myorg/*', repository: 'MyOrg/Platform', workflow: 'release.yml' },
      {
        match: '@myorg/deployed',
        repository: 'myorg/platform',
        workflow: 'deploy.yml',
        environment: 'npm',
      },
    ],
  });
  registry = await startRegistry({
    storage,
    auth: createLocalAuth({ storage, allowRegistration: false }),
    publicRead: false,
    access: { rules, oidc: { issuer: issuer.issuer, tokenTtlMs: 15 * 60_000 } },
  });
});

afterAll(async () => {
  await registry?.close();
  await issuer?.close();
});

async function exchange(name: string, idToken: string) {
  const response = await registry.request(exchangePath(name), {
    method: 'POST',
    headers: { authorization: `Bearer ${idToken}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, string>,
  };
}

describe('IdTokenVerifier', () => {
  it('answers the claims of a token of its issuer and refuses each broken check with its reason', async () => {
    const verifier = new IdTokenVerifier({ issuer: issuer.issuer });
    const claims = await verifier.verify(
      await issuer.idToken({ run: release, audience: AUDIENCE }),
      AUDIENCE,
    );
    expect(claims).toMatchObject({
      repository: 'myorg/platform',
      workflow_ref: 'myorg/platform/.github/workflows/release.yml@refs/heads/main',
    });
    const cases: [Parameters<OidcIssuerStandIn['idToken']>[0], RegExp][] = [
      [{ run: release, audience: AUDIENCE, foreignKey: true }, /signature does not verify/],
      [
        { run: release, audience: AUDIENCE, issuer: 'https://issuer.invalid' },
        /not issued by http:\/\/127\.0\.0\.1/,
      ],
      [{ run: release, audience: 'npm:elsewhere.invalid' }, /audience is not npm:127\.0\.0\.1/],
      [{ run: release, audience: AUDIENCE, lifetimeSeconds: -120 }, /expired/],
    ];
    for (const [options, message] of cases) {
      const error = await verifier.verify(await issuer.idToken(options), AUDIENCE).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 401, message: expect.stringMatching(message) });
    }
  });

  it('reads the keys once, not per token', async () => {
    const verifier = new IdTokenVerifier({ issuer: issuer.issuer });
    const before = issuer.hits.get('/.well-known/jwks') ?? 0;
    for (let i = 0; i < 3; i += 1) {
      await verifier.verify(await issuer.idToken({ run: release, audience: AUDIENCE }), AUDIENCE);
    }
    expect((issuer.hits.get('/.well-known/jwks') ?? 0) - before).toBe(1);
  });

  it('answers 502 while the issuer cannot be read, asking it once for a burst of exchanges', async () => {
    // A path of the stand-in that serves no discovery document: 404.
    const verifier = new IdTokenVerifier({ issuer: `${issuer.issuer}/missing` });
    const token = await issuer.idToken({ run: release, audience: AUDIENCE });
    const burst = await Promise.all(
      [1, 2, 3].map(() => verifier.verify(token, AUDIENCE).catch((e: unknown) => e)),
    );
    const after = await verifier.verify(token, AUDIENCE).catch((e: unknown) => e);
    for (const refusal of [...burst, after]) {
      expect(refusal).toMatchObject({
        status: 502,
        message: expect.stringContaining('cannot read the signing keys'),
      });
    }
    expect(issuer.hits.get('/missing/.well-known/openid-configuration')).toBe(1);
  });
});

describe('POST /-/npm/v1/oidc/token/exchange/package/:pkg', () => {
  it('hands a trusted workflow a short-lived token that publishes as github-actions[bot]', async () => {
    const idToken = await issuer.idToken({ run: release, audience: AUDIENCE });
    const { status, headers, body } = await exchange('@myorg/lib', idToken);
    expect(status).toBe(201);
    expect(headers.get('cache-control')).toBe('no-store');
    const record = await new TokenStore(storage).getToken(hashToken(body.token ?? ''));
    expect(record).toMatchObject({
      user: TRUSTED_PUBLISHER_USER,
      name: 'trusted publishing: myorg/platform release.yml',
      packages: ['@myorg/lib'],
      readOnly: false,
    });
    const lifeMs = Date.parse(record?.expires ?? '') - Date.parse(record?.created ?? '');
    expect(lifeMs).toBe(15 * 60_000);

    const published = await registry.request('/@myorg%2flib', {
      method: 'PUT',
      token: body.token,
      json: publishBody('@myorg/lib', '1.0.0'),
    });
    expect(published.status).toBe(201);
    const packument = (await (await registry.request('/@myorg%2flib', { token: body.token })).json()) as {
      versions: Record<string, { _npmUser?: { name: string } }>;
    };
    expect(packument.versions['1.0.0']?._npmUser?.name).toBe(TRUSTED_PUBLISHER_USER);
  });

  it('matches the environment a publisher names', async () => {
    const deploy = { repository: 'myorg/platform', workflow: 'deploy.yml' };
    const inNpm = await exchange(
      '@myorg/deployed',
      await issuer.idToken({ run: { ...deploy, environment: 'NPM' }, audience: AUDIENCE }),
    );
    expect(inNpm.status).toBe(201);
    const without = await exchange(
      '@myorg/deployed',
      await issuer.idToken({ run: deploy, audience: AUDIENCE }),
    );
    expect(without.status).toBe(403);
    expect(without.body.error).toBe(
      'myorg/platform workflow deploy.yml (no environment) is not a trusted publisher of @myorg/deployed',
    );
  });

  it('refuses tokens that do not verify (401) and runs that match no publisher (403), echoing no token', async () => {
    const good = { run: release, audience: AUDIENCE };
    const cases: [Parameters<OidcIssuerStandIn['idToken']>[0], string, number, RegExp][] = [
      [{ ...good, foreignKey: true }, '@myorg/lib', 401, /signature does not verify/],
      [{ ...good, lifetimeSeconds: -120 }, '@myorg/lib', 401, /expired/],
      [{ ...good, audience: 'npm:registry.invalid' }, '@myorg/lib', 401, /audience is not npm:127\.0\.0\.1/],
      [
        { ...good, run: { ...release, repository: 'someone/fork' } },
        '@myorg/lib',
        403,
        /someone\/fork workflow release\.yml .*not a trusted publisher of @myorg\/lib/,
      ],
      [
        { ...good, run: { ...release, workflow: 'ci.yml' } },
        '@myorg/lib',
        403,
        /workflow ci\.yml .*@myorg\/lib/,
      ],
      [good, 'unscoped', 403, /unscoped has no trusted publisher/],
    ];
    for (const [options, name, status, message] of cases) {
      const idToken = await issuer.idToken(options);
      const answer = await exchange(name, idToken);
      expect({ status: answer.status, error: answer.body.error }).toEqual({
        status,
        error: expect.stringMatching(message),
      });
      expect(JSON.stringify(answer.body)).not.toContain(idToken.split('.')[2]);
    }
  });

  it('refuses missing, malformed and oversized headers and bad names before any key lookup', async () => {
    const before = issuer.hits.get('/.well-known/openid-configuration') ?? 0;
    const post = (name: string, authorization?: string) =>
      registry.request(exchangePath(name), {
        method: 'POST',
        headers: authorization === undefined ? {} : { authorization },
      });
    expect((await post('@myorg/lib')).status).toBe(401);
    expect((await post('@myorg/lib', 'Bearer not-a-jwt')).status).toBe(401);
    expect((await post('@myorg/lib', `Bearer ${'a'.repeat(9000)}.b.c`)).status).toBe(401);
    expect((await post('Bad%20Name', 'Bearer a.b.c')).status).toBe(400);
    expect(issuer.hits.get('/.well-known/openid-configuration') ?? 0).toBe(before);
  });

  it('gives the principal the package limit of its token', async () => {
    const { body } = await exchange(
      '@myorg/limited',
      await issuer.idToken({ run: release, audience: AUDIENCE }),
    );
    const auth = createLocalAuth({ storage, allowRegistration: false });
    const principal = await auth.authenticate(`Bearer ${body.token}`);
    expect(principal).toMatchObject({
      name: TRUSTED_PUBLISHER_USER,
      readOnly: false,
      packages: ['@myorg/limited'],
    });
  });
});
