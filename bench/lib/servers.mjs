// Starts the three servers under test, each as its own process so its CPU and memory can be read from /proc.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { benchDir, childEnv, node24, workspaceBin, workspaceDir } from './env.mjs';
import { runProcess, startProcess } from './processes.mjs';

const listening = /listening on (http:\/\/\S+)/;
export const oursSource = path.join(workspaceDir, 'apps', 'registry', 'src', 'main.ts');
const oursBundle = path.join(workspaceDir, 'apps', 'registry', 'dist', 'main.js');
const oursManifest = path.join(workspaceDir, 'apps', 'registry', 'package.json');

/** Node's flags in the bundle's `npm start` script (a smaller young generation), so the bench runs what it runs. */
function startFlags() {
  const { scripts } = JSON.parse(readFileSync(oursManifest, 'utf8'));
  return scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

export function oursAvailable() {
  return existsSync(oursSource);
}

/**
 * Builds the bundle `npx nx start registry` runs (Nx caches it). That bundle is what is measured,
 * as Verdaccio is measured from its published JavaScript: running the TypeScript sources directly
 * (`nx serve`) costs ~40 MB more memory for Node's type stripping.
 */
export async function buildOurs() {
  await runProcess(path.join(workspaceBin, 'nx'), ['build', 'registry', '--outputStyle=static'], {
    cwd: workspaceDir,
    env: childEnv(),
    quiet: true,
  });
}

/**
 * Our registry's bundle (see buildOurs), on filesystem storage in `dir`; with
 * `upstream`, a proxy of that registry (fresh storage in `dir`, nothing published). `env` adds to
 * or overrides the environment (another REGISTRY_STORAGE), `args` follow the bundle (`--lambda`).
 */
export function startOurs(dir, { name = 'ours', upstream = 'none', env = {}, args = [] } = {}) {
  return startProcess({
    name,
    command: node24,
    args: [...startFlags(), path.relative(workspaceDir, oursBundle), ...args],
    cwd: workspaceDir,
    env: childEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      REGISTRY_STORAGE: `file://${path.join(dir, 'storage')}`,
      REGISTRY_UPSTREAM: upstream,
      // Open as Verdaccio is by default: the bench signs users up and installs without tokens.
      REGISTRY_ALLOW_REGISTRATION: 'true',
      REGISTRY_PUBLIC_READ: 'true',
      LOG_LEVEL: 'warn',
      ...env,
    }),
    logFile: path.join(dir, 'server.log'),
    ready: listening,
  });
}

/** Verdaccio on storage in `dir`; with `upstream`, every package proxied to it as the uplink `upstream`. */
export function startVerdaccio(dir, { name = 'verdaccio', upstream } = {}) {
  return startProcess({
    name,
    command: node24,
    args: [path.join(benchDir, 'lib', 'verdaccioServer.mjs')],
    cwd: benchDir,
    env: childEnv({
      BENCH_VERDACCIO_DIR: dir,
      ...(upstream ? { BENCH_VERDACCIO_UPLINK: upstream } : {}),
      NODE_ENV: 'production',
    }),
    logFile: path.join(dir, 'server.log'),
    ready: listening,
  });
}

export function startStatic(dir) {
  return startProcess({
    name: 'static',
    command: node24,
    args: [path.join(benchDir, 'lib', 'staticServer.mjs'), path.join(dir, 'files')],
    cwd: benchDir,
    env: childEnv(),
    logFile: path.join(dir, 'server.log'),
    ready: listening,
  });
}
