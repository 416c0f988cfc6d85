import { execFile } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PackageSpec, writePackage } from './support/fixtures.ts';
import { packagePath, request } from './support/httpClient.ts';
import type { NpmClient } from './support/npmClient.ts';
import { useNpmSession } from './support/npmSession.ts';

const run = promisify(execFile);

interface Version {
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  hasInstallScript?: boolean;
}

/**
 * A package using what npm publish normalises in the manifest it sends but not in the
 * package.json it packs: a string `bin` with `./`, dependencies, peer dependencies, engines and a
 * postinstall script that leaves a mark where it ran.
 */
function toolSpec(name: string): PackageSpec {
  return {
    name,
    version: '1.0.0',
    bin: './cli.js',
    dependencies: { 'e2e-base': '^1.0.0' },
    peerDependencies: { 'e2e-peer': '>=1.0.0' },
    engines: { node: '>=18' },
    scripts: { postinstall: 'node postinstall.js', test: 'node index.js' },
    files: {
      'cli.js': `#!/usr/bin/env node\nconsole.log(${JSON.stringify(`${name} ran`)});\n`,
      'postinstall.js':
        "require('node:fs').writeFileSync(require('node:path').join(__dirname, 'installed'), '');\n",
    },
  };
}

/** A package with a binding.gyp and no install script: npm and pnpm run `node-gyp rebuild` for it. */
function gypSpec(name: string): PackageSpec {
  return { name, version: '1.0.0', files: { 'binding.gyp': '{ "targets": [] }\n' } };
}

async function exists(path: string): Promise<boolean> {
  return await access(path).then(
    () => true,
    () => false,
  );
}

describe('publishing with npm and pnpm: the manifest agrees with the tarball', { timeout: 240_000 }, () => {
  const session = useNpmSession({ label: 'manifest', user: 'publisher' });
  /** `registry=` and the token, for pnpm, which reads them from the project's .npmrc. */
  let npmrc: string;

  beforeAll(async () => {
    npmrc = `registry=${session.server.url}\n${session.server.url.replace(/^http:/, '')}:_authToken=${session.token}\n`;
    for (const name of ['e2e-base', 'e2e-peer']) {
      const dir = await writePackage(join(session.work, 'src'), { name, version: '1.0.0' });
      await session.client.npmOk(['publish'], { cwd: dir });
    }
  }, 120_000);

  const version = async (name: string): Promise<Version> => {
    const result = await request(session.server, packagePath(name));
    expect(result.status, result.text).toBe(200);
    return (result.json as { versions: Record<string, Version> }).versions['1.0.0'] ?? {};
  };

  const publishWith = async (tool: 'npm' | 'pnpm', spec: PackageSpec) => {
    const dir = await writePackage(join(session.work, `${tool}-src`), spec);
    await writeFile(join(dir, '.npmrc'), npmrc);
    const client: NpmClient = session.client;
    const result =
      tool === 'npm'
        ? await client.npm(['publish'], { cwd: dir })
        : await client.pnpm(['publish', '--no-git-checks'], { cwd: dir });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  };

  const project = async (label: string, dependencies: Record<string, string>): Promise<string> => {
    const dir = join(session.work, label);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: label, private: true, dependencies }));
    await writeFile(join(dir, '.npmrc'), npmrc);
    return dir;
  };

  it.each([
    { tool: 'npm' as const, name: '@e2e/npm-tool', bin: 'npm-tool' },
    { tool: 'pnpm' as const, name: 'e2e-pnpm-tool', bin: 'e2e-pnpm-tool' },
  ])(
    'publishes $name with $tool, and npm installs it with its bin and postinstall',
    async ({ tool, name, bin }) => {
      // Act
      await publishWith(tool, toolSpec(name));
      const dir = await project(`${tool}-consumer`, { [name]: '1.0.0' });
      const installed = await session.client.npm(['install'], { cwd: dir });

      // Assess
      expect(installed.code, installed.stderr).toBe(0);
      expect(await version(name)).toMatchObject({
        dependencies: { 'e2e-base': '^1.0.0' },
        peerDependencies: { 'e2e-peer': '>=1.0.0' },
        engines: { node: '>=18' },
        scripts: { postinstall: 'node postinstall.js' },
        hasInstallScript: true,
      });
      expect(await exists(join(dir, 'node_modules', name, 'installed')), 'postinstall ran').toBe(true);
      const { stdout } = await run(join(dir, 'node_modules', '.bin', bin), { cwd: dir });
      expect(stdout.trim()).toBe(`${name} ran`);
    },
  );

  it('installs what pnpm published with pnpm too, running the postinstall it allows', async () => {
    // Prepare: pnpm runs no dependency's install script unless the project allows it.
    const dir = await project('pnpm-consumer-pnpm', { 'e2e-pnpm-tool': '1.0.0', 'e2e-peer': '1.0.0' });
    await writeFile(join(dir, 'pnpm-workspace.yaml'), 'allowBuilds:\n  e2e-pnpm-tool: true\n');

    // Act
    const installed = await session.client.pnpm(['install'], { cwd: dir });

    // Assess
    expect(installed.code, `${installed.stdout}\n${installed.stderr}`).toBe(0);
    expect(await exists(join(dir, 'node_modules', 'e2e-pnpm-tool', 'installed')), 'postinstall ran').toBe(
      true,
    );
    const { stdout } = await run(join(dir, 'node_modules', '.bin', 'e2e-pnpm-tool'), { cwd: dir });
    expect(stdout.trim()).toBe('e2e-pnpm-tool ran');
  });

  it.each([
    { tool: 'npm' as const, name: 'e2e-npm-gyp' },
    { tool: 'pnpm' as const, name: '@e2e/pnpm-gyp' },
  ])('publishes a binding.gyp package with $tool and flags its install script', async ({ tool, name }) => {
    // Act
    await publishWith(tool, gypSpec(name));

    // Assess
    expect(await version(name)).toMatchObject({ hasInstallScript: true });
  });
});
