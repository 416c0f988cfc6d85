import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PublishTarget, resolveTarget } from '../src/publish/index.ts';
import { type RegistryStandIn, startRegistryStandIn } from './helpers/registryStandIn.ts';

describe('resolveTarget for an npm registry', () => {
  let registry: RegistryStandIn;

  beforeEach(async () => {
    registry = await startRegistryStandIn({ prefix: '/npm/' });
  });

  afterEach(async () => {
    await registry.close();
  });

  it(`fills \${VAR} references from the given environment and normalises the URL`, async () => {
    // Prepare
    const target: PublishTarget = { kind: 'registry', url: `\${REG}`, token: `\${TOKEN:-}` };

    // Act
    const resolved = await resolveTarget(target, { env: { REG: registry.url.slice(0, -1), TOKEN: 'abc' } });

    // Assess
    expect(resolved.registryUrl).toBe(registry.url);
    expect(resolved.token).toBe('abc');
  });

  it('treats an empty token as none', async () => {
    const resolved = await resolveTarget(
      { kind: 'registry', url: registry.url, token: `\${TOKEN:-}` },
      { env: {} },
    );

    expect(resolved.token).toBeUndefined();
  });

  it('asks the registry itself, past caches and with the token, whether a version exists', async () => {
    // Prepare
    registry.seed('@myorg/a', '1.0.0');
    const resolved = await resolveTarget({ kind: 'registry', url: registry.url, token: registry.token });

    // Act
    const existing = await resolved.isPublished('@myorg/a', '1.0.0');
    const missingVersion = await resolved.isPublished('@myorg/a', '2.0.0');
    const missingPackage = await resolved.isPublished('@myorg/b', '1.0.0');

    // Assess
    expect([existing, missingVersion, missingPackage]).toEqual([true, false, false]);
    const first = registry.requests[0];
    expect(first?.url).toBe('/npm/@myorg%2fa');
    expect(first?.headers.authorization).toBe(`Bearer ${registry.token}`);
    expect(first?.headers['cache-control']).toBe('no-cache');
  });

  it('fails the check when the registry refuses the token', async () => {
    const resolved = await resolveTarget({ kind: 'registry', url: registry.url, token: 'wrong' });

    await expect(resolved.isPublished('@myorg/a', '1.0.0')).rejects.toThrow(/401/);
  });
});

describe('resolveTarget validation', () => {
  it('lists every unset variable at once', async () => {
    const target: PublishTarget = {
      kind: 'codeartifact',
      domain: `\${D}`,
      repository: `\${R}`,
      region: 'us-east-1',
    };

    await expect(resolveTarget(target, { env: {} })).rejects.toThrow(
      'publish target: environment variables not set: D, R',
    );
  });

  it('rejects targets that cannot work', async () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: 'registry', url: '' }, /"url" must be a non-empty string/],
      [
        { kind: 'codeartifact', domain: 'd', repository: 'r', region: '' },
        /"region" must be a non-empty string/,
      ],
      [
        { kind: 'codeartifact', domain: 'd', repository: 'r', region: 'x', tokenDurationSeconds: 60 },
        /must be 0 or 900–43200/,
      ],
      [{ kind: 'ftp' }, /unknown kind "ftp"/],
    ];
    for (const [target, message] of cases) {
      await expect(resolveTarget(target as PublishTarget, { env: {} })).rejects.toThrow(message);
    }
  });
});
