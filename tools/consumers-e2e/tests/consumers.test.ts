import { execFile } from 'node:child_process';
import { cp, lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type PackageToPublish, publishPackages } from '@myorg/services/publish';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type RegistryProcess, startRegistry } from './registryProcess.ts';

const run = promisify(execFile);
const workspace = resolve(import.meta.dirname, '../../..');
const TOKEN_ENV = 'MYORG_NPM_TOKEN';

/** Every public library, as the release pipeline would publish it (built beforehand by Nx). */
async function publicLibraries(): Promise<PackageToPublish[]> {
  const libs: PackageToPublish[] = [];
  for (const entry of await readdir(join(workspace, 'libs'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(workspace, 'libs', entry.name);
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    if (!manifest.private) libs.push({ name: manifest.name, version: manifest.version, dir });
  }
  return libs;
}

/**
 * A consumer's shell: Node 24 first on PATH (the apps run TypeScript directly) and no `npm_config_*`
 * inherited from the `npm test` that started this run, so only the copy's own `.npmrc` (and the
 * machine's user config) decide where packages come from.
 */
function consumerEnv(token: string, cache: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm_config_|FORCE_COLOR$)/i.test(key)),
  );
  return {
    ...env,
    PATH: [dirname(process.execPath), env.PATH].join(delimiter),
    [TOKEN_ENV]: token,
    npm_config_cache: cache,
    // Plain output, so the test summary can be read.
    NO_COLOR: '1',
  };
}

async function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout, stderr } = await run('npm', args, {
      cwd,
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 180_000,
    });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, { cause: error });
  }
}

const consumers = [
  { app: 'apps/my-api/auth', extraChecks: [['run', 'typecheck']] },
  { app: 'apps/my-api/core', extraChecks: [['run', 'typecheck']] },
  {
    app: 'apps/my-ui',
    extraChecks: [
      ['run', 'typecheck'],
      ['run', 'build'],
    ],
  },
];

describe('sample consumers installed from the registry', () => {
  let root: string;
  let registry: RegistryProcess;
  let token: string;
  let published: PackageToPublish[];

  beforeAll(async () => {
    // Prepare: our registry on loopback, a user, and every public library published to it.
    root = await mkdtemp(join(tmpdir(), 'myorg-consumers-'));
    registry = await startRegistry(workspace, join(root, 'storage'));
    token = await createUser(registry.url, 'consumers-e2e', 'consumers-e2e-password');
    published = await publicLibraries();
    const summary = await publishPackages(published, { kind: 'registry', url: registry.url, token });
    expect(summary.outcomes.filter((outcome) => outcome.status === 'failed')).toEqual([]);
    expect(summary.published).toBe(published.length);
  }, 180_000);

  afterAll(async () => {
    await registry?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  // The apps side by side: most of an install is waiting on the network, and each app has its own
  // copy (the npm cache they share is safe for concurrent use). `expect` from the context, so a
  // failure is told of the app it belongs to.
  it.concurrent.for(consumers)(
    '$app installs @myorg/* from the registry and passes its tests outside the workspace',
    async ({ app, extraChecks }, { expect }) => {
      // Prepare: a copy of the app with nothing the workspace installed or generated.
      const copy = join(root, basename(app));
      await cp(join(workspace, app), copy, {
        recursive: true,
        filter: (source) =>
          !/[\\/](node_modules|dist|coverage|test-results|out-tsc)$|[\\/](\.npmrc|package-lock\.json)$/.test(
            source,
          ),
      });
      const env = consumerEnv(token, join(root, 'npm-cache'));

      // Act: the steps the app's README gives a team.
      await npm(
        ['run', 'npmrc', '--', '--out', join(copy, '.npmrc'), '--registry', registry.url],
        workspace,
        env,
      );
      await npm(['install', '--no-audit', '--no-fund'], copy, env);
      // The checks are independent of each other; side by side they keep the e2e short.
      const [testOutput] = await Promise.all([
        npm(['test'], copy, env),
        ...extraChecks.map((check) => npm(check, copy, env)),
      ]);

      // Assess: the .npmrc routes the scope to our registry and reads the token from the environment.
      const npmrc = await readFile(join(copy, '.npmrc'), 'utf8');
      const host = new URL(registry.url).host;
      expect(npmrc).toBe(`@myorg:registry=${registry.url}\n//${host}/:_authToken=\${${TOKEN_ENV}}\n`);

      // Assess: every @myorg package is a real install (no workspace link) of the tarball the registry holds.
      const manifest = JSON.parse(await readFile(join(copy, 'package.json'), 'utf8'));
      const direct = Object.keys(manifest.dependencies).filter((name) => name.startsWith('@myorg/'));
      expect(direct.length).toBeGreaterThan(0);
      const lock = JSON.parse(await readFile(join(copy, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { version: string; integrity: string; link?: boolean }>;
      };
      // Nested copies count too: `node_modules/@myorg/a/node_modules/@myorg/b`.
      const installed = Object.entries(lock.packages).flatMap(([path, entry]) => {
        const name = /(?:^|\/)node_modules\/(@myorg\/[^/]+)$/.exec(path)?.[1];
        return name === undefined ? [] : [{ name, path, entry }];
      });
      expect(installed.map(({ name }) => name)).toEqual(expect.arrayContaining(direct));
      for (const { name, path, entry } of installed) {
        expect(entry.link, name).toBeUndefined();
        expect((await lstat(join(copy, path))).isSymbolicLink(), name).toBe(false);
        const packument = (await (await fetch(new URL(name.replace('/', '%2f'), registry.url))).json()) as {
          versions: Record<string, { dist: { integrity: string } }>;
        };
        expect(entry.integrity, name).toBe(packument.versions[entry.version]?.dist.integrity);
      }
      expect(testOutput).toMatch(/Tests\s+\d+ passed/);
    },
  );
});
