import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.ts';
import { writeLibrary } from '../support/fixtures.ts';
import { tempDir, testIo } from '../support/testIo.ts';

const run = promisify(execFile);
const workspace = resolve(import.meta.dirname, '../../../..');
const cli = join(workspace, 'apps/admin/bin/myorg-admin.js');

/** Starts `apps/registry/src/main.ts --codeartifact` (what `nx serve registry --codeartifact` runs) on a free port. */
async function startStandIn(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@myorg/source', join(workspace, 'apps/registry/src/main.ts'), '--codeartifact'],
    {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((found, failed) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)\//.exec(text);
      if (match) found(match[1]!);
    });
    child.once('exit', (code) => failed(new Error(`the stand-in exited with ${code}: ${text}`)));
  });
  return { url, child };
}

describe('myorg-admin setup against the CodeArtifact stand-in', () => {
  let root: string;
  let remove: () => Promise<void>;
  let standIn: { url: string; child: ChildProcess };
  let env: NodeJS.ProcessEnv;
  const saved = { ...process.env };
  const config = () => join(root, 'codeartifact-config.json');
  /** The real CLI in its own process: the bin, its module hooks and the TypeScript sources. */
  const admin = (...args: string[]) =>
    run(process.execPath, [cli, '-c', config(), ...args], { env, cwd: root });
  /**
   * The same CLI in this process (the SDK reads `env` from process.env), where the test is not
   * about the process: a spawn costs seconds of start-up.
   */
  const adminHere = async (...args: string[]) => {
    const io = testIo(root, env);
    const code = await runCli(['-c', config(), ...args], io);
    return { code, stdout: io.out(), stderr: io.err() };
  };

  beforeAll(async () => {
    ({ dir: root, remove } = await tempDir());
    standIn = await startStandIn();
    // Fake credentials and an endpoint override: nothing here can reach AWS.
    env = {
      ...process.env,
      AWS_ENDPOINT_URL: standIn.url,
      AWS_ACCESS_KEY_ID: 'AKIAE2ETEST',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_REGION: 'eu-west-1',
      AWS_MAX_ATTEMPTS: '1',
      AWS_CONFIG_FILE: join(root, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(root, 'no-aws-credentials'),
      AWS_PROFILE: '',
      CA_DOMAIN: 'myorg',
    };
    Object.assign(process.env, env);
    const libs = join(root, 'libs');
    await writeLibrary(libs, 'greet', { name: '@myorg/e2e-greet', version: '1.0.0' });
    await writeFile(join(libs, 'greet/dist/index.js'), `exports.greet = (who) => \`hello \${who}\`;\n`);
    await writeLibrary(libs, 'shout', {
      name: '@myorg/e2e-shout',
      version: '1.2.0',
      dependencies: { '@myorg/e2e-greet': '^1.0.0' },
    });
    await writeFile(
      join(libs, 'shout/dist/index.js'),
      "exports.shout = (who) => require('@myorg/e2e-greet').greet(who).toUpperCase();\n",
    );
    await mkdir(join(root, 'consumer'));
    await writeFile(
      config(),
      JSON.stringify({
        region: `\${AWS_REGION}`,
        account: `\${AWS_ACCOUNT_ID:-}`,
        domain: `\${CA_DOMAIN}`,
        repository: 'npm-private',
        scope: '@myorg',
        libsPath: 'libs',
        consumerPaths: ['consumer'],
        tokenDuration: '1h',
      }),
    );
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    standIn?.child.kill();
    await remove?.();
  });

  it('creates everything and publishes the libraries on the first run', async () => {
    const { stdout } = await admin('setup');

    expect(stdout).toContain('AWS account: 000000000000 (from STS GetCallerIdentity)');
    expect(stdout).toContain('created    Domain myorg: created domain myorg');
    expect(stdout).toContain('created    Repository npm-store: created repository npm-store');
    expect(stdout).toContain(
      'created    External connection public:npmjs: connected npm-store to public:npmjs',
    );
    expect(stdout).toContain(
      'created    Repository npm-private: created repository npm-private (upstream: npm-store)',
    );
    expect(stdout).toContain('published  Publish libraries: published 2, 0 already there');
    expect(stdout).toContain('6 step(s) made changes.');
    const npmrc = await readFile(join(root, 'consumer/.npmrc'), 'utf8');
    expect(npmrc).toContain(`@myorg:registry=${standIn.url}/myorg-000000000000/npm/npm-private/\n`);
  });

  it('changes nothing on the second run and says so', async () => {
    const before = await readFile(join(root, 'consumer/.npmrc'), 'utf8');

    const { code, stdout } = await adminHere('setup');

    expect(code).toBe(0);

    expect(stdout).toContain('unchanged  Publish libraries: all 2 version(s) already published');
    expect(stdout).toContain('Nothing changed: everything was already in place.');
    expect(stdout).not.toMatch(/^ {2}(created|updated|published|written) /m);
    expect(await readFile(join(root, 'consumer/.npmrc'), 'utf8')).toBe(before);
  });

  it('lets a consumer install @myorg packages with the generated .npmrc', async () => {
    // Prepare: a token from the CLI, and npm with its own cache and an empty user config.
    const consumer = join(root, 'consumer');
    const { stdout: token } = await adminHere('token');
    await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    await writeFile(join(root, 'userconfig'), '');
    const npmEnv = {
      ...process.env,
      CODEARTIFACT_AUTH_TOKEN: token.trim(),
      npm_config_cache: join(root, 'npm-cache'),
      npm_config_userconfig: join(root, 'userconfig'),
    };

    // Act
    await run('npm', ['install', '--no-audit', '--no-fund', '@myorg/e2e-shout'], {
      cwd: consumer,
      env: npmEnv,
    });
    const { stdout } = await run(
      process.execPath,
      ['-e', "console.log(require('@myorg/e2e-shout').shout('world'))"],
      {
        cwd: consumer,
      },
    );

    // Assess
    expect(stdout).toBe('HELLO WORLD\n');
    const installed = JSON.parse(
      await readFile(join(consumer, 'node_modules/@myorg/e2e-greet/package.json'), 'utf8'),
    );
    expect(installed.version).toBe('1.0.0');
    const doctor = await adminHere('doctor');
    expect(doctor.stdout).toContain('✔ Endpoint access:');
  });

  it('refuses npm without a valid token, as CodeArtifact does', async () => {
    const consumer = join(root, 'consumer');
    const npmEnv = {
      ...process.env,
      CODEARTIFACT_AUTH_TOKEN: 'forged',
      npm_config_cache: join(root, 'npm-cache-2'),
      npm_config_userconfig: join(root, 'userconfig'),
    };

    const failure = await run('npm', ['view', '@myorg/e2e-greet', 'version'], {
      cwd: consumer,
      env: npmEnv,
    }).catch((error: { stderr: string }) => error);

    expect((failure as { stderr: string }).stderr).toMatch(/E401|401/);
  });

  it('keeps the .npmrc fresh with --refresh-every until SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, '-c', config(), 'token', '--refresh-every', '400ms'], {
      env,
      cwd: root,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    while ((stderr.match(/refreshed 1 \.npmrc/g) ?? []).length < 2)
      await new Promise((r) => setTimeout(r, 50));

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((done) => child.once('exit', done));

    expect(code).toBe(0);
    expect(stderr).toMatch(/stopped after \d+ refresh\(es\)/);
    const npmrc = await readFile(join(root, 'consumer/.npmrc'), 'utf8');
    expect(npmrc).toMatch(/# token expires \d{4}-/);
    expect(npmrc).not.toContain(`\${CODEARTIFACT_AUTH_TOKEN}`);
  });
});
