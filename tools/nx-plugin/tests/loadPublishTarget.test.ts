import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPublishTarget } from '../src/loadPublishTarget.ts';
import { useTempDirs } from './support/tempDir.ts';

const config = {
  region: `\${AWS_REGION:-us-east-1}`,
  domain: 'myorg',
  account: `\${AWS_ACCOUNT_ID}`,
  repository: 'npm-private',
  tokenDuration: '15m',
  scope: '@myorg',
};

describe('loadPublishTarget', () => {
  const tempDir = useTempDirs();

  async function workspaceWithConfig(content: unknown = config): Promise<string> {
    const root = await tempDir();
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    await writeFile(join(root, 'codeartifact-config.json'), text);
    return root;
  }

  it(`reads CodeArtifact from the config file, filling \${VAR} references and taking "account" as the owner`, async () => {
    // Prepare
    const workspaceRoot = await workspaceWithConfig();

    // Act
    const target = await loadPublishTarget({ workspaceRoot, env: { AWS_ACCOUNT_ID: '111122223333' } });

    // Assess
    expect(target).toEqual({
      kind: 'codeartifact',
      region: 'us-east-1',
      domain: 'myorg',
      domainOwner: '111122223333',
      repository: 'npm-private',
      tokenDurationSeconds: 900,
    });
  });

  it('lists every variable the config file needs but the environment lacks', async () => {
    const workspaceRoot = await workspaceWithConfig({ ...config, domain: `\${DOMAIN}` });

    await expect(loadPublishTarget({ workspaceRoot, env: {} })).rejects.toThrow(
      'codeartifact-config.json: environment variables not set: DOMAIN, AWS_ACCOUNT_ID',
    );
  });

  it('lets PUBLISH_REGISTRY_URL override the config, with the token left as a reference', async () => {
    const workspaceRoot = await workspaceWithConfig();

    const target = await loadPublishTarget({
      workspaceRoot,
      env: { PUBLISH_REGISTRY_URL: 'http://127.0.0.1:4873/', PUBLISH_REGISTRY_TOKEN: 'secret' },
    });

    expect(target).toEqual({
      kind: 'registry',
      url: 'http://127.0.0.1:4873/',
      token: `\${PUBLISH_REGISTRY_TOKEN:-}`,
    });
    expect(JSON.stringify(target)).not.toContain('secret');
  });

  it('lets the registry option override the environment', async () => {
    const target = await loadPublishTarget({
      workspaceRoot: await tempDir(),
      registry: 'http://127.0.0.1:1/option/',
      env: { PUBLISH_REGISTRY_URL: 'http://127.0.0.1:2/env/' },
    });

    expect(target).toMatchObject({ kind: 'registry', url: 'http://127.0.0.1:1/option/' });
  });

  it('reads a config file named explicitly, with an endpoint override, a profile and domainOwner', async () => {
    const root = await tempDir();
    const file = join(root, 'other.json');
    const config = {
      region: 'eu-west-1',
      domain: 'd',
      domainOwner: '1',
      repository: 'r',
      endpoint: 'http://127.0.0.1:9/',
      profile: 'release',
      tokenDurationSeconds: 1800,
    };
    await writeFile(file, JSON.stringify(config));

    const target = await loadPublishTarget({ workspaceRoot: '/nowhere', configFile: file, env: {} });

    // Every field of the file is taken as written.
    expect(target).toEqual({ kind: 'codeartifact', ...config });
  });

  it('says how to configure a target when there is none', async () => {
    await expect(loadPublishTarget({ workspaceRoot: await tempDir(), env: {} })).rejects.toThrow(
      /no publish target: pass --registry, set PUBLISH_REGISTRY_URL .* or add codeartifact-config.json/,
    );
  });

  it('rejects malformed or incomplete config files', async () => {
    const cases: [unknown, RegExp][] = [
      ['{ nope', /malformed JSON in codeartifact-config.json/],
      [[], /expected a JSON object/],
      [{ ...config, domain: undefined }, /"domain" is required/],
      [{ ...config, region: 42 }, /"region" must be a string/],
      [{ ...config, tokenDurationSeconds: '900' }, /"tokenDurationSeconds" must be a number/],
      [{ ...config, tokenDuration: 900 }, /"tokenDuration" must be a string such as "12h"/],
      [{ ...config, tokenDuration: '12 hours' }, /"tokenDuration": invalid duration "12 hours"/],
    ];
    for (const [content, message] of cases) {
      const workspaceRoot = await workspaceWithConfig(content);
      await expect(loadPublishTarget({ workspaceRoot, env: { AWS_ACCOUNT_ID: '1' } })).rejects.toThrow(
        message,
      );
    }
  });

  it('reports an unreadable config file as it is', async () => {
    const workspaceRoot = await tempDir();

    // A folder where the file should be cannot be read as one.
    await expect(loadPublishTarget({ workspaceRoot, configFile: '.', env: {} })).rejects.toThrow(/EISDIR/);
  });
});
