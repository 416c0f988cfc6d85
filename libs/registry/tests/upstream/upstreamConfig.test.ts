import { parseConfig, z } from '@myorg/validation';
import { describe, expect, it } from 'vitest';
import { upstreamConfig, upstreamVariables } from '../../src/upstream/upstreamConfig.ts';
import { upstreamDefaults } from '../support/upstreamDefaults.ts';

const schema = z.object(upstreamVariables);

function parse(env: Record<string, string>) {
  return upstreamConfig(parseConfig(schema, env, 'upstream configuration'));
}

describe('upstream configuration', () => {
  it('proxies nothing by default', () => {
    expect(parse({})).toEqual(upstreamDefaults);
  });

  it('reads every variable', () => {
    expect(
      parse({
        REGISTRY_UPSTREAM: 'http://user:pw@127.0.0.1:4873/npm',
        REGISTRY_UPSTREAM_MAX_AGE: '1h30m',
        REGISTRY_UPSTREAM_TIMEOUT: '2s',
        REGISTRY_PRIVATE_SCOPES: '@MyOrg, internal ,',
        REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM: 'lodash,@types/*',
        REGISTRY_UPSTREAM_MEMORY: '48mb',
      }),
    ).toEqual({
      url: 'http://user:pw@127.0.0.1:4873/npm',
      maxAgeMs: 5_400_000,
      timeoutMs: 2000,
      privateScopes: ['@myorg', '@internal'],
      allowPublishOverUpstream: ['lodash', '@types/*'],
      maxCachedBytes: 48 * 1024 * 1024,
    });
    expect(parse({ REGISTRY_UPSTREAM: ' none', REGISTRY_UPSTREAM_MAX_AGE: '0' })).toMatchObject({
      url: undefined,
      maxAgeMs: 0,
    });
  });

  it('refuses an upstream URL with a query or fragment, which paths appended to it would lose', () => {
    for (const url of ['http://mirror.test/npm?token=1', 'http://mirror.test/npm#top', 'mirror.test']) {
      expect(() => parse({ REGISTRY_UPSTREAM: url })).toThrow(
        'REGISTRY_UPSTREAM: must be none or an http(s) URL without query or fragment',
      );
    }
  });

  it('names every invalid variable', () => {
    // Act
    let message = '';
    try {
      parse({
        REGISTRY_UPSTREAM: 'ftp://mirror.test/',
        REGISTRY_UPSTREAM_MAX_AGE: 'soon',
        REGISTRY_UPSTREAM_TIMEOUT: '0',
        REGISTRY_PRIVATE_SCOPES: '@ok,@not ok',
        REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM: 'fine,no spaces',
        REGISTRY_UPSTREAM_MEMORY: 'lots',
      });
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess
    expect(message).toContain('REGISTRY_UPSTREAM: must be none or an http(s) URL without query or fragment');
    expect(message).toContain('REGISTRY_UPSTREAM_MAX_AGE: must be a duration such as 30s, 2m or 1h30m');
    expect(message).toContain('REGISTRY_UPSTREAM_TIMEOUT: must be a duration');
    expect(message).toContain('REGISTRY_PRIVATE_SCOPES: @not ok: not a scope such as @myorg');
    expect(message).toContain(
      'REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM: no spaces: not a package name or pattern',
    );
    expect(message).toContain(
      'REGISTRY_UPSTREAM_MEMORY: must be a size in bytes, or with a unit such as 100mb',
    );
  });
});
