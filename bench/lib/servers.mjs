// Starts the three servers under test, each as its own process so its CPU and memory can be read from /proc.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { benchDir, childEnv, node24, workspaceDir } from './env.mjs';
import { startProcess } from './processes.mjs';

const listening = /listening on (http:\/\/\S+)/;
export const oursEntry = path.join(workspaceDir, 'apps', 'registry', 'src', 'main.ts');

export function oursAvailable() {
  return existsSync(oursEntry);
}

/**
 * Our registry, started the way the project documents it, on filesystem storage in `dir`; with
 * `upstream`, a proxy of that registry (fresh storage in `dir`, nothing published).
 */
export function startOurs(dir, { name = 'ours', upstream = 'none' } = {}) {
  return startProcess({
    name,
    command: node24,
    args: ['--conditions=@myorg/source', path.relative(workspaceDir, oursEntry)],
    cwd: workspaceDir,
    env: childEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      REGISTRY_STORAGE: `file://${path.join(dir, 'storage')}`,
      REGISTRY_UPSTREAM: upstream,
      LOG_LEVEL: 'warn',
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
