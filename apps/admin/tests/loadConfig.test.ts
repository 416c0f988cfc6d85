import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/loadConfig.ts';
import { testDir } from './support/testIo.ts';

/** The fields every config must name, valid as they are. */
const required = { region: 'us-east-1', domain: 'myorg', repository: 'npm-private', scope: '@myorg' };

describe('loadConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await testDir();
  });

  async function write(config: unknown): Promise<string> {
    const file = join(dir, 'codeartifact-config.json');
    await writeFile(file, JSON.stringify(config));
    return file;
  }

  it(`substitutes \${VAR} and \${VAR:-default} and fills in the defaults`, async () => {
    // Prepare
    const file = await write({
      region: `\${AWS_REGION:-eu-west-1}`,
      account: `\${AWS_ACCOUNT_ID:-}`,
      domain: `\${DOMAIN}`,
      repository: 'npm-private',
      scope: '@myorg',
    });

    // Act
    const config = await loadConfig(file, { DOMAIN: 'myorg' });

    // Assess
    expect(config).toMatchObject({
      region: 'eu-west-1',
      account: undefined,
      domain: 'myorg',
      upstreamRepository: 'npm-store',
      externalConnection: 'public:npmjs',
      libsPath: 'libs',
      consumerPaths: [],
      tokenDuration: 43_200,
      npmrcToken: 'env',
      tokenEnvVar: 'CODEARTIFACT_AUTH_TOKEN',
      baseDir: dir,
    });
  });

  it('lists every missing variable in one error', async () => {
    const file = await write({
      region: `\${REGION}`,
      domain: `\${DOMAIN}`,
      repository: `\${REPO:-r1}`,
      scope: '@x',
    });

    await expect(loadConfig(file, {})).rejects.toThrow('missing environment variables: REGION, DOMAIN');
  });

  it('reads durations such as 8h and refuses more than 12 hours', async () => {
    expect((await loadConfig(await write({ ...required, tokenDuration: '8h' }), {})).tokenDuration).toBe(
      28_800,
    );
    await expect(loadConfig(await write({ ...required, tokenDuration: '13h' }), {})).rejects.toThrow(
      'tokenDuration must be between 15 minutes and 12 hours',
    );
    await expect(loadConfig(await write({ ...required, tokenDuration: 'soon' }), {})).rejects.toThrow(
      'invalid duration',
    );
  });

  it('takes an empty upstream or connection as none', async () => {
    const file = await write({ ...required, upstreamRepository: '', externalConnection: '' });

    const config = await loadConfig(file, {});

    expect(config.upstreamRepository).toBeUndefined();
    expect(config.externalConnection).toBeUndefined();
  });

  it('reports every invalid field at once', async () => {
    const file = await write({
      region: 'mars',
      account: '12',
      domain: 'My_Org',
      repository: 'npm-private',
      scope: 'myorg',
    });

    const error = (await loadConfig(file, {}).catch((caught: unknown) => caught)) as Error;

    expect(error.message).toContain('region: must be an AWS region');
    expect(error.message).toContain('account: must be a 12-digit AWS account id');
    expect(error.message).toContain('domain: must be a CodeArtifact domain name');
    expect(error.message).toContain('scope: must be an npm scope');
  });

  it('names the file it cannot read, with the fix', async () => {
    const error = (await loadConfig(join(dir, 'absent.json'), {}).catch(
      (caught: unknown) => caught,
    )) as Error & {
      details?: { fix?: string };
    };

    expect(error.message).toContain('absent.json: ENOENT');
    expect(error.details?.fix).toContain('--config');
  });
});
