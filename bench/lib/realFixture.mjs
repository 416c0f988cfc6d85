// The real-package fixture: the packages of fixtures/real/package-lock.json (typescript and zod
// among them), captured once from the registry npm is configured with into .cache/real/ (git-ignored),
// and read from there by every later run, offline. Layout per package: <name>/full.json (the full
// packument as the upstream sent it) and <name>/-/<file>.tgz (the locked versions' tarballs). The
// abbreviated form is derived (see abbreviate): a mirror may answer the full document to npm's Accept.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchDir, childEnv } from './env.mjs';

export const realFixtureDir = path.join(benchDir, 'fixtures', 'real');
export const realCacheDir = path.join(benchDir, '.cache', 'real');

/** Every locked package: { name, version, integrity, file } (file: the tarball's base name). */
export async function lockedPackages() {
  const lock = JSON.parse(await readFile(path.join(realFixtureDir, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([key]) => key.startsWith('node_modules/'))
    .map(([key, entry]) => {
      const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
      return {
        name,
        version: entry.version,
        integrity: entry.integrity,
        file: tarballFile(name, entry.version),
      };
    });
}

export const tarballFile = (name, version) => `${name.split('/').pop()}-${version}.tgz`;

/** The path of a cached file (packument form or tarball) of `name` under `root`. */
export const cachePath = (root, name, ...rest) => path.join(root, ...name.split('/'), ...rest);

async function fetchOk(url, headers) {
  const response = await fetch(url, { headers: { 'accept-encoding': 'gzip', ...headers } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Writes through a temp file, so an interrupted capture never leaves a truncated file that looks cached. */
async function writeAtomically(file, data) {
  await mkdir(path.dirname(file), { recursive: true });
  await rename(await writeFile(`${file}.part`, data).then(() => `${file}.part`), file);
}

/** Fetches whatever of the fixture is not cached yet; a complete cache makes no request. */
export async function captureRealFixture(log) {
  const packages = await lockedPackages();
  const missing = packages.filter(
    (p) =>
      !existsSync(cachePath(realCacheDir, p.name, 'full.json')) ||
      !existsSync(cachePath(realCacheDir, p.name, '-', p.file)),
  );
  if (missing.length === 0) return packages;
  // the upstream is configuration: whatever registry npm uses on this machine
  const upstream = execFileSync('npm', ['config', 'get', 'registry'], {
    cwd: realFixtureDir,
    env: childEnv(),
    encoding: 'utf8',
  }).trim();
  log(`capturing ${missing.length} real packages from npm's configured registry into ${realCacheDir}`);
  const queue = [...missing];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const base = new URL(p.name.replace('/', '%2f'), upstream.endsWith('/') ? upstream : `${upstream}/`);
      const full = await fetchOk(base, { accept: 'application/json' });
      const dist = JSON.parse(full.toString()).versions?.[p.version]?.dist;
      if (!dist?.tarball) throw new Error(`${p.name}@${p.version} is not in its packument`);
      const tarball = await fetchOk(dist.tarball, {});
      const [algorithm, expected] = p.integrity.split('-', 2);
      if (createHash(algorithm).update(tarball).digest('base64') !== expected)
        throw new Error(`${p.name}@${p.version}: the tarball does not match the lockfile's integrity`);
      await writeAtomically(cachePath(realCacheDir, p.name, 'full.json'), full);
      await writeAtomically(cachePath(realCacheDir, p.name, '-', p.file), tarball);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return packages;
}

/**
 * A consumer project of the fixture resolved against `registry` (the static server): the committed
 * package.json, and the committed lockfile with every `resolved` URL pointing there.
 */
export async function writeRealConsumer(dir, registry, npmrc) {
  await mkdir(dir, { recursive: true });
  const lock = JSON.parse(await readFile(path.join(realFixtureDir, 'package-lock.json'), 'utf8'));
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/')) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    entry.resolved = new URL(`${name}/-/${tarballFile(name, entry.version)}`, registry).href;
  }
  await writeFile(path.join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  await writeFile(
    path.join(dir, 'package.json'),
    await readFile(path.join(realFixtureDir, 'package.json'), 'utf8'),
  );
  await writeFile(path.join(dir, '.npmrc'), npmrc);
}

// the version fields npm's abbreviated ("corgi") packument keeps
const abbreviatedFields = [
  'name',
  'version',
  'deprecated',
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bin',
  'directories',
  'dist',
  'engines',
  'os',
  'cpu',
  '_hasShrinkwrap',
  'hasInstallScript',
  'funding',
  'license',
];

/** The abbreviated packument (`application/vnd.npm.install-v1+json`) of a full one. */
export function abbreviate(full) {
  const versions = {};
  for (const [version, manifest] of Object.entries(full.versions ?? {})) {
    versions[version] = Object.fromEntries(
      abbreviatedFields.filter((field) => field in manifest).map((field) => [field, manifest[field]]),
    );
  }
  return { name: full.name, modified: full.time?.modified, 'dist-tags': full['dist-tags'], versions };
}
