import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writePackage } from './support/fixtures.ts';
import { createNpmClient } from './support/npmClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import { packPackages, publishPacked } from './support/packageTree.ts';

const run = promisify(execFile);

interface LockEntry {
  version: string;
  resolved: string;
  integrity: string;
}

/** Loads `@e2e/app` in a consumer project and returns what its modules export. */
async function loadApp(project: string, name = '@e2e/app'): Promise<unknown> {
  const { stdout } = await run(
    process.execPath,
    ['-e', `console.log(JSON.stringify(require(${JSON.stringify(name)})))`],
    {
      cwd: project,
    },
  );
  return JSON.parse(stdout);
}

async function writeProject(
  dir: string,
  dependencies: Record<string, string> = {},
  npmrc?: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, dependencies }),
  );
  if (npmrc) await writeFile(join(dir, '.npmrc'), npmrc);
  return dir;
}

describe('installing from the registry with npm and pnpm', { timeout: 180_000 }, () => {
  const session = useNpmSession({ label: 'install', user: 'installer' });

  beforeAll(async () => {
    // Prepare: a scoped package whose dependencies are one scoped and one unscoped package, each
    // with several versions so the ranges have something to choose from.
    const packages = [
      { name: 'e2e-pad', version: '1.0.0' },
      { name: 'e2e-pad', version: '1.2.0' },
      { name: 'e2e-pad', version: '2.0.0' },
      { name: '@e2e/util', version: '1.0.0' },
      { name: '@e2e/util', version: '1.0.1' },
      { name: '@e2e/app', version: '1.0.0', dependencies: { 'e2e-pad': '^1.0.0', '@e2e/util': '~1.0.0' } },
    ];
    // Packed by npm and published with npm's body over HTTP: this file is about installs, and npm
    // publish has its own suites (one CLI start instead of six).
    const packed = await packPackages(join(session.work, 'packed'), packages);
    await publishPacked(session.server.url, session.token, packed);
  }, 120_000);

  it('installs a scoped package with its dependencies with npm install and writes a lockfile', async () => {
    // Prepare
    const consumer = await createNpmClient(session.server.url);
    const project = await writeProject(join(session.work, 'npm-install'));

    try {
      // Act
      const result = await consumer.npm(['install', '@e2e/app'], { cwd: project });

      // Assess
      expect(result.code, result.stderr).toBe(0);
      expect(await loadApp(project)).toEqual({ name: '@e2e/app', version: '1.0.0' });
      expect(await loadApp(project, 'e2e-pad')).toEqual({ name: 'e2e-pad', version: '1.2.0' });
      expect(await loadApp(project, '@e2e/util')).toEqual({ name: '@e2e/util', version: '1.0.1' });
      const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, LockEntry>;
      };
      const app = lock.packages['node_modules/@e2e/app'];
      expect(app?.resolved).toBe(`${session.server.url}@e2e/app/-/app-1.0.0.tgz`);
      expect(app?.integrity).toMatch(/^sha512-/);
      expect(lock.packages['node_modules/e2e-pad']?.resolved).toBe(
        `${session.server.url}e2e-pad/-/e2e-pad-1.2.0.tgz`,
      );
    } finally {
      await consumer.remove();
    }
  });

  it('reinstalls exactly the locked versions with npm ci and an empty cache', async () => {
    // Prepare: lock to e2e-pad 1.0.0 although 1.2.0 matches the range, then install elsewhere.
    const locker = await createNpmClient(session.server.url);
    const locked = await writeProject(join(session.work, 'ci-source'));
    await locker.npmOk(['install', '@e2e/app', 'e2e-pad@1.0.0'], { cwd: locked });
    await locker.remove();
    const consumer = await createNpmClient(session.server.url);
    const project = await writeProject(join(session.work, 'ci'));
    await copyFile(join(locked, 'package.json'), join(project, 'package.json'));
    await copyFile(join(locked, 'package-lock.json'), join(project, 'package-lock.json'));

    try {
      // Act
      const result = await consumer.npm(['ci'], { cwd: project });

      // Assess
      expect(result.code, result.stderr).toBe(0);
      expect(await loadApp(project, 'e2e-pad')).toEqual({ name: 'e2e-pad', version: '1.0.0' });
      expect(await loadApp(project)).toEqual({ name: '@e2e/app', version: '1.0.0' });
      expect(await readFile(join(project, 'package-lock.json'), 'utf8')).toBe(
        await readFile(join(locked, 'package-lock.json'), 'utf8'),
      );
    } finally {
      await consumer.remove();
    }
  });

  it('installs the same tree with pnpm install', async () => {
    // Prepare
    const consumer = await createNpmClient(session.server.url);
    const project = await writeProject(
      join(session.work, 'pnpm-install'),
      { '@e2e/app': '^1.0.0' },
      `registry=${session.server.url}\n`,
    );

    try {
      // Act
      const result = await consumer.pnpm(['install'], { cwd: project });

      // Assess
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(await loadApp(project)).toEqual({ name: '@e2e/app', version: '1.0.0' });
      const lock = await readFile(join(project, 'pnpm-lock.yaml'), 'utf8');
      expect(lock).toContain('e2e-pad@1.2.0');
      expect(lock).toContain('@e2e/util@1.0.1');
    } finally {
      await consumer.remove();
    }
  });

  it('publishes with pnpm publish, and npm and pnpm install what pnpm published', async () => {
    // Prepare
    const pnpmUser = await createNpmClient(session.server.url);
    const npmrc = `registry=${session.server.url}\n${session.server.url.replace(/^http:/, '')}:_authToken=${session.token}\n`;
    const dir = await writePackage(join(session.work, 'pnpm-src'), {
      name: '@e2e/from-pnpm',
      version: '1.0.0',
      dependencies: { 'e2e-pad': '^2.0.0' },
    });
    await writeFile(join(dir, '.npmrc'), npmrc);
    const npmProject = await writeProject(join(session.work, 'from-pnpm-npm'));
    const pnpmProject = await writeProject(
      join(session.work, 'from-pnpm-pnpm'),
      { '@e2e/from-pnpm': '1.0.0' },
      npmrc,
    );

    try {
      // Act
      const published = await pnpmUser.pnpm(['publish', '--no-git-checks'], { cwd: dir });
      const npmInstall = await pnpmUser.npm(['install', '@e2e/from-pnpm'], { cwd: npmProject });
      const pnpmInstall = await pnpmUser.pnpm(['install'], { cwd: pnpmProject });

      // Assess
      expect(published.code, `${published.stdout}\n${published.stderr}`).toBe(0);
      expect(npmInstall.code, npmInstall.stderr).toBe(0);
      expect(pnpmInstall.code, `${pnpmInstall.stdout}\n${pnpmInstall.stderr}`).toBe(0);
      for (const project of [npmProject, pnpmProject]) {
        expect(await loadApp(project, '@e2e/from-pnpm')).toEqual({
          name: '@e2e/from-pnpm',
          version: '1.0.0',
        });
      }
      expect(await loadApp(npmProject, 'e2e-pad')).toEqual({ name: 'e2e-pad', version: '2.0.0' });
    } finally {
      await pnpmUser.remove();
    }
  });
});
