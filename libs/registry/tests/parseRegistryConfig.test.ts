import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../src/config/parseByteSize.ts';
import { parseRegistryConfig } from '../src/config/parseRegistryConfig.ts';
import { upstreamDefaults } from './support/upstreamDefaults.ts';

const defaults = { storage: 'file:///srv/registry/data' };

/** The whole configuration when no variable is set. */
const defaultConfig = {
  port: 4873,
  host: '127.0.0.1',
  storage: 'file:///srv/registry/data',
  s3KmsKeyId: undefined,
  publicUrl: undefined,
  auth: { provider: 'local' },
  access: {
    rules: { packages: [], trustedPublishers: [] },
    admins: [],
    tokenMaxAgeMs: 90 * 24 * 60 * 60 * 1000,
    oidc: { issuer: 'https://token.actions.githubusercontent.com', tokenTtlMs: 15 * 60 * 1000 },
  },
  allowRegistration: false,
  publicRead: false,
  maxBodyBytes: 200 * 1024 * 1024,
  maxUploadBytes: 200 * 1024 * 1024,
  packumentCacheBytes: 48 * 1024 * 1024,
  tarballMemoryBytes: 32 * 1024 * 1024,
  temporaryMaxAgeMs: 60 * 60 * 1000,
  upstream: upstreamDefaults,
  releaseAge: { minAgeMs: 0, overrides: [], allow: [] },
  metricsToken: undefined,
  logLevel: 'info',
};

describe('parseRegistryConfig', () => {
  it('fills every default', () => {
    expect(parseRegistryConfig({}, defaults)).toEqual(defaultConfig);
  });

  it('reads every variable', () => {
    // Act
    const config = parseRegistryConfig(
      {
        PORT: '0',
        HOST: '0.0.0.0',
        REGISTRY_STORAGE: 'memory:',
        REGISTRY_S3_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        REGISTRY_PUBLIC_URL: 'https://npm.example.test/registry/',
        REGISTRY_AUTH: 'local',
        REGISTRY_ALLOW_REGISTRATION: 'true',
        REGISTRY_PUBLIC_READ: 'yes',
        REGISTRY_MAX_BODY: '100mb',
        REGISTRY_MAX_UPLOAD: '1gb',
        REGISTRY_PACKUMENT_MEMORY: '16MB',
        REGISTRY_TARBALL_MEMORY: '0',
        REGISTRY_TEMPORARY_MAX_AGE: '2h',
        REGISTRY_UPSTREAM: 'none',
        REGISTRY_MIN_RELEASE_AGE: '3d',
        REGISTRY_MIN_RELEASE_AGE_OVERRIDES: '@types/*=12h, esbuild=0',
        REGISTRY_MIN_RELEASE_AGE_ALLOW: 'left-pad,@scope/fix@^1.2.3',
        REGISTRY_METRICS_TOKEN: ' scrape-secret ',
        LOG_LEVEL: 'warn',
        UNRELATED: 'ignored',
      },
      defaults,
    );

    // Assess
    expect(config).toEqual({
      ...defaultConfig,
      port: 0,
      host: '0.0.0.0',
      storage: 'memory://',
      s3KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      publicUrl: 'https://npm.example.test/registry',
      allowRegistration: true,
      publicRead: true,
      maxBodyBytes: 100 * 1024 * 1024,
      maxUploadBytes: 1024 ** 3,
      packumentCacheBytes: 16 * 1024 * 1024,
      tarballMemoryBytes: 0,
      temporaryMaxAgeMs: 2 * 60 * 60 * 1000,
      releaseAge: {
        minAgeMs: 3 * 24 * 60 * 60 * 1000,
        overrides: [
          { pattern: '@types/*', minAgeMs: 12 * 60 * 60 * 1000 },
          { pattern: 'esbuild', minAgeMs: 0 },
        ],
        allow: [
          { pattern: 'left-pad', range: '*' },
          { pattern: '@scope/fix', range: '^1.2.3' },
        ],
      },
      metricsToken: 'scrape-secret',
      logLevel: 'warn',
    });
  });

  it('names each release age setting it cannot read', () => {
    expect(() =>
      parseRegistryConfig(
        {
          REGISTRY_MIN_RELEASE_AGE: 'three days',
          REGISTRY_MIN_RELEASE_AGE_OVERRIDES: '@types/*=soon',
          REGISTRY_MIN_RELEASE_AGE_ALLOW: 'left-pad@not-a-range',
        },
        defaults,
      ),
    ).toThrow(
      /REGISTRY_MIN_RELEASE_AGE: must be a duration.*REGISTRY_MIN_RELEASE_AGE_OVERRIDES: @types\/\*=soon: soon is not an age.*REGISTRY_MIN_RELEASE_AGE_ALLOW: left-pad@not-a-range: not-a-range is not a version or range/,
    );
  });

  it('reads GitHub sign-in, admins and a rule file given by its path', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'rules-'));
    const file = join(dir, 'access.json');
    await writeFile(
      file,
      JSON.stringify({
        packages: [{ match: '@myorg/*', publish: ['team:MyOrg/Platform', '$owners'] }],
        trustedPublishers: [{ match: '@myorg/*', repository: 'myorg/platform', workflow: 'release.yml' }],
      }),
    );

    // Act
    const config = parseRegistryConfig(
      {
        REGISTRY_AUTH: 'github',
        REGISTRY_GITHUB_API_URL: 'https://ghe.example.test/api/v3/',
        REGISTRY_GITHUB_URL: 'https://ghe.example.test',
        REGISTRY_GITHUB_CLIENT_ID: 'client',
        REGISTRY_GITHUB_CLIENT_SECRET: 'secret',
        REGISTRY_GITHUB_TOKEN: 'ghp_registry',
        REGISTRY_GITHUB_ORGS: 'MyOrg, other',
        REGISTRY_GITHUB_MEMBERSHIP_TTL: '1m',
        REGISTRY_ADMINS: 'Alice,bob',
        REGISTRY_ACCESS_RULES: file,
        REGISTRY_TOKEN_MAX_AGE: '30d',
      },
      defaults,
    );
    await rm(dir, { recursive: true });

    // Assess
    expect(config.auth).toEqual({
      provider: 'github',
      github: {
        webUrl: 'https://ghe.example.test',
        apiUrl: 'https://ghe.example.test/api/v3',
        clientId: 'client',
        clientSecret: 'secret',
        token: 'ghp_registry',
        orgs: ['myorg', 'other'],
        membershipTtlMs: 60_000,
      },
    });
    expect(config.access.admins).toEqual(['alice', 'bob']);
    expect(config.access.tokenMaxAgeMs).toBe(30 * 24 * 60 * 60 * 1000);
    expect(config.access.rules.packages).toEqual([
      { match: '@myorg/*', publish: ['team:myorg/platform', '$owners'] },
    ]);
    expect(config.access.rules.trustedPublishers).toHaveLength(1);
  });

  it('names every GitHub variable that is missing, and a rule file that is wrong', () => {
    expect(() =>
      parseRegistryConfig({ REGISTRY_AUTH: 'github', REGISTRY_GITHUB_CLIENT_ID: 'client' }, defaults),
    ).toThrow(/REGISTRY_GITHUB_CLIENT_SECRET.*REGISTRY_GITHUB_TOKEN.*REGISTRY_GITHUB_ORGS/s);
    expect(() =>
      parseRegistryConfig(
        { REGISTRY_ACCESS_RULES: '{"packages":[{"match":"*","publish":["$all"]}]}' },
        defaults,
      ),
    ).toThrow(/REGISTRY_ACCESS_RULES.*\$all may read, never publish/);
    expect(() => parseRegistryConfig({ REGISTRY_ACCESS_RULES: '/nonexistent/rules.json' }, defaults)).toThrow(
      /REGISTRY_ACCESS_RULES: cannot read \/nonexistent\/rules.json: ENOENT/,
    );
  });

  it('takes REGISTRY_UPSTREAM from the defaults when unset, as serve passes the npm registry', () => {
    // Act
    const fromDefault = parseRegistryConfig({}, { ...defaults, upstream: 'http://127.0.0.1:9/npm/' });
    const overridden = parseRegistryConfig(
      { REGISTRY_UPSTREAM: 'none' },
      { ...defaults, upstream: 'http://127.0.0.1:9/npm/' },
    );

    // Assess
    expect(fromDefault.upstream.url).toBe('http://127.0.0.1:9/npm/');
    expect(overridden.upstream.url).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(parseRegistryConfig({ PORT: '', REGISTRY_PUBLIC_URL: '' }, defaults)).toMatchObject({
      port: 4873,
      publicUrl: undefined,
    });
  });

  it('normalises file storage URLs', () => {
    expect(parseRegistryConfig({ REGISTRY_STORAGE: 'file:///srv/a/../data' }, defaults).storage).toBe(
      'file:///srv/data',
    );
  });

  it('accepts an s3 storage URL, leaving its details to the S3 backend', () => {
    expect(parseRegistryConfig({ REGISTRY_STORAGE: 's3://bucket/prefix' }, defaults).storage).toBe(
      's3://bucket/prefix',
    );
    expect(() => parseRegistryConfig({ REGISTRY_STORAGE: 's3:///prefix' }, defaults)).toThrow(
      /REGISTRY_STORAGE/,
    );
  });

  it('refuses a blank REGISTRY_METRICS_TOKEN rather than leaving the metrics open', () => {
    expect(() => parseRegistryConfig({ REGISTRY_METRICS_TOKEN: '   ' }, defaults)).toThrow(
      /REGISTRY_METRICS_TOKEN: must not be blank/,
    );
  });

  it('lists every invalid variable in one error', () => {
    // Act
    let message = '';
    try {
      parseRegistryConfig(
        {
          PORT: '70000',
          HOST: ' ',
          REGISTRY_STORAGE: 'gs://bucket/prefix',
          REGISTRY_S3_KMS_KEY_ID: 'alias/with space',
          REGISTRY_PUBLIC_URL: 'ftp://x',
          REGISTRY_AUTH: 'ldap',
          REGISTRY_ALLOW_REGISTRATION: 'maybe',
          REGISTRY_MAX_BODY: 'lots',
          REGISTRY_PACKUMENT_MEMORY: '0',
          REGISTRY_UPSTREAM: 'ftp://upstream.test',
          REGISTRY_UPSTREAM_MEMORY: '-1mb',
          LOG_LEVEL: 'loud',
        },
        defaults,
      );
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess
    expect(message).toMatch(/^invalid registry configuration: /);
    for (const variable of [
      'PORT',
      'HOST',
      'REGISTRY_STORAGE',
      'REGISTRY_S3_KMS_KEY_ID',
      'REGISTRY_PUBLIC_URL',
      'REGISTRY_AUTH',
      'REGISTRY_ALLOW_REGISTRATION',
      'REGISTRY_MAX_BODY',
      'REGISTRY_PACKUMENT_MEMORY',
      'REGISTRY_UPSTREAM',
      'REGISTRY_UPSTREAM_MEMORY',
      'LOG_LEVEL',
    ]) {
      expect(message).toContain(`${variable}: `);
    }
  });

  it('refuses storage URLs without a local absolute path', () => {
    for (const storage of ['file://server/share', 'file:relative', '/plain/path']) {
      expect(() => parseRegistryConfig({ REGISTRY_STORAGE: storage }, defaults)).toThrow(/REGISTRY_STORAGE/);
    }
  });
});

describe('parseByteSize', () => {
  it('reads bytes and binary units', () => {
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize('512kb')).toBe(512 * 1024);
    expect(parseByteSize('100 MB')).toBe(100 * 1024 * 1024);
    expect(parseByteSize('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('10b')).toBe(10);
  });

  it('refuses anything else', () => {
    for (const text of ['', 'mb', '-1', '0', '10 parsecs', '1e9', '10bb', '9'.repeat(30)]) {
      expect(parseByteSize(text)).toBeUndefined();
    }
  });
});
