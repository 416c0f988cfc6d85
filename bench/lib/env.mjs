// Where things are and what the machine offers; installs the harness's own tools on first use.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const workspaceDir = path.dirname(benchDir);
export const workspaceBin = path.join(workspaceDir, 'node_modules', '.bin');
/** Node 24 pinned by the workspace (`node` devDependency); the PATH node may be older. */
export const node24 = path.join(workspaceBin, 'node');

/** Environment for child processes: the workspace's Node 24 first on PATH, so `npm` runs on it too. */
export function childEnv(extra = {}) {
  return { ...process.env, PATH: `${workspaceBin}${path.delimiter}${process.env.PATH}`, ...extra };
}

/** Installs bench/package.json's dependencies into bench/node_modules when missing or stale. */
export function ensureBenchDependencies() {
  const marker = path.join(benchDir, 'node_modules', '.package-lock.json');
  const manifest = path.join(benchDir, 'package.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(manifest).mtimeMs) return;
  console.log('installing bench dependencies (verdaccio, autocannon) into bench/node_modules ...');
  const args = ['install', '--prefix', benchDir, '--no-audit', '--no-fund', '--loglevel=error'];
  const result = spawnSync('npm', args, { cwd: benchDir, env: childEnv(), stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install --prefix bench failed (exit ${result.status})`);
}

/** Installs hyperfine from Debian when it is not on PATH. */
export function ensureHyperfine() {
  if (spawnSync('hyperfine', ['--version'], { stdio: 'ignore' }).status === 0) return;
  console.log('installing hyperfine (apt-get) ...');
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'hyperfine'],
  ]) {
    const result = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  }
}

export function machineFacts() {
  const cpus = os.cpus();
  const version = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { env: childEnv(), encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  const pkgVersion = (name) =>
    JSON.parse(readFileSync(path.join(benchDir, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    date: new Date().toISOString(),
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: version(node24, ['--version']),
    npm: version('npm', ['--version']),
    hyperfine: version('hyperfine', ['--version']),
    verdaccio: pkgVersion('verdaccio'),
    autocannon: pkgVersion('autocannon'),
  };
}

/** Formats a JSON file kept in git the way `biome check .` wants it. */
export function formatForGit(file) {
  spawnSync(path.join(workspaceBin, 'biome'), ['format', '--write', file], { stdio: 'ignore' });
}
