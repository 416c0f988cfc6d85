import { publishPackages } from '@myorg/services/publish';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type IdTokenOptions,
  type OidcIssuerStandIn,
  startOidcIssuerStandIn,
} from '../../../../libs/registry/tests/support/oidcIssuerStandIn.ts';
import { writePackage } from './support/fixtures.ts';
import { packagePath, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import type { StartOptions } from './support/registryServer.ts';

const release = { repository: 'myorg/platform', workflow: 'release.yml' };
// npm asks for the id-token with audience npm:<host of its registry URL>: the server's is 127.0.0.1.
const AUDIENCE = 'npm:127.0.0.1';
const RULES = {
  trustedPublishers: [{ match: '@myorg/*', repository: 'myorg/platform', workflow: 'release.yml' }],
};

/**
 * npm's trusted publishing with the real npm CLI (11.5+): in a "GitHub Actions" job (GITHUB_ACTIONS
 * and the id-token request variables pointing at the OIDC issuer stand-in) and with no token in
 * .npmrc, `npm publish` exchanges the job's id-token for a registry token and publishes with it.
 */
describe('trusted publishing from GitHub Actions', { timeout: 120_000 }, () => {
  let issuer: OidcIssuerStandIn;
  const server: StartOptions = {};
  beforeAll(async () => {
    issuer = await startOidcIssuerStandIn();
    server.env = { REGISTRY_ACCESS_RULES: JSON.stringify(RULES), REGISTRY_OIDC_ISSUER: issuer.issuer };
  });
  afterAll(async () => {
    await issuer?.close();
  });
  const session = useNpmSession({ label: 'trusted', server });

  const publishInActions = async (name: string, version: string) => {
    const dir = await writePackage(session.work, { name, version });
    return await session.client.npm(['publish'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true', ...issuer.actionsEnv },
    });
  };
  const versionsOf = async (name: string) => {
    const answer = await request(session.server, packagePath(name));
    return answer.status === 404 ? [] : Object.keys((answer.json as { versions: object }).versions);
  };

  it('publishes with the exchanged token, as github-actions[bot], release after release', async () => {
    issuer.setRun({ run: release });
    for (const version of ['1.0.0', '1.0.1']) {
      const result = await publishInActions('@myorg/trusted', version);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`+ @myorg/trusted@${version}`);
    }
    const viewed = JSON.parse((await session.client.npmOk(['view', '@myorg/trusted', '--json'])).stdout) as {
      versions: string[];
      _npmUser: { name: string };
    };
    expect(viewed.versions).toEqual(['1.0.0', '1.0.1']);
    expect(viewed._npmUser.name).toBe('github-actions[bot]');
    expect(await session.client.savedToken()).toBeUndefined();
  });

  it.each<[string, IdTokenOptions, number, RegExp]>([
    [
      'another repository',
      { run: { ...release, repository: 'someone/fork' } },
      403,
      /someone\/fork workflow release\.yml/,
    ],
    [
      'another workflow',
      { run: { ...release, workflow: 'ci.yml' } },
      403,
      /myorg\/platform workflow ci\.yml/,
    ],
    ['an expired token', { run: release, lifetimeSeconds: -120 }, 401, /expired/],
    [
      'the wrong audience',
      { run: release, audience: 'npm:registry.invalid' },
      401,
      /audience is not npm:127\.0\.0\.1/,
    ],
  ])(
    'refuses %s: the exchange says why, and npm publish publishes nothing',
    async (_, options, status, message) => {
      const name = '@myorg/refused';
      const idToken = await issuer.idToken({ audience: AUDIENCE, ...options });
      const exchange = await request(
        session.server,
        `/-/npm/v1/oidc/token/exchange/package/${packagePath(name).slice(1)}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${idToken}` },
        },
      );
      expect(exchange.status).toBe(status);
      expect((exchange.json as { error: string }).error).toMatch(message);
      expect(exchange.text).not.toContain(idToken);

      issuer.setRun(options);
      const result = await publishInActions(name, '1.0.0');
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/ENEEDAUTH|requires you to be logged in/);
      expect(await versionsOf(name)).toEqual([]);
    },
  );

  it('lets the release pipeline publish without NPM_TOKEN: one exchange per package', async () => {
    const packages = await Promise.all(
      ['@myorg/pipeline-a', '@myorg/pipeline-b'].map(async (name) => ({
        name,
        version: '2.0.0',
        dir: await writePackage(session.work, { name, version: '2.0.0' }),
      })),
    );
    const target = { kind: 'registry' as const, url: session.server.url };
    const env = { GITHUB_ACTIONS: 'true', ...issuer.actionsEnv };

    issuer.setRun({ run: { ...release, repository: 'someone/fork' } });
    const refused = await publishPackages(packages.slice(0, 1), target, { env });
    expect(refused.outcomes[0]?.reason).toMatch(
      /someone\/fork workflow release\.yml .*not a trusted publisher of @myorg\/pipeline-a/,
    );
    expect(await versionsOf('@myorg/pipeline-a')).toEqual([]);

    issuer.setRun({ run: release });
    const idTokensBefore = issuer.hits.get('/_apis/idtoken') ?? 0;
    const summary = await publishPackages(packages, target, { env });
    expect(summary.outcomes.map(({ name, status }) => [name, status])).toEqual([
      ['@myorg/pipeline-a', 'published'],
      ['@myorg/pipeline-b', 'published'],
    ]);
    expect(await versionsOf('@myorg/pipeline-b')).toEqual(['2.0.0']);
    expect((issuer.hits.get('/_apis/idtoken') ?? 0) - idTokensBefore).toBe(2);
  });
});
