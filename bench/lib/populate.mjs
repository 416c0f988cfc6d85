// Loads the same fixtures into a registry: a user and token, npm publish for the small and ~1 MB
// packages, raw PUTs for the many-version package and the tree, and a consumer project with a lockfile.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { childEnv } from './env.mjs';
import { addUser, publishBody, putPublish } from './npmProtocol.mjs';
import { runProcess } from './processes.mjs';

/** `//host:port/path/:_authToken=...` — the line `npm login` writes. */
function authLine(registry, token) {
  const { host, pathname } = new URL(registry);
  return `//${host}${pathname}:_authToken=${token}`;
}

/** Environment for npm runs that must not read the developer's ~/.npmrc. */
export function isolatedNpmEnv(workDir) {
  // `npm run bench` hands the workspace's and the user's npm settings down as npm_config_* (the
  // root .npmrc omits resolved URLs from lockfiles, for one); the consumers install as a fresh npm.
  const inherited = Object.keys(process.env).filter((key) => key.toLowerCase().startsWith('npm_config_'));
  return childEnv({
    ...Object.fromEntries(inherited.map((key) => [key, undefined])),
    npm_config_userconfig: path.join(workDir, 'empty-npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  });
}

export async function prepareNpmEnv(workDir) {
  await writeFile(path.join(workDir, 'empty-npmrc'), '');
}

/**
 * Creates the bench user, publishes every fixture (without `manyVersions`, all but the
 * many-version package), and returns the token and per-PUT latencies.
 */
export async function populateRegistry(target, fixtures, workDir, { manyVersions = true } = {}) {
  const { url } = target;
  const dir = path.join(workDir, target.name);
  await mkdir(dir, { recursive: true });
  const token = await addUser(url, 'bench', 'bench-Password-1');
  const npmrc = path.join(dir, 'publish.npmrc');
  await writeFile(npmrc, `registry=${url}\n${authLine(url, token)}\n`);

  for (const file of [...fixtures.small.map((s) => s.file), fixtures.big.file]) {
    await runProcess(
      'npm',
      [
        'publish',
        file,
        '--userconfig',
        npmrc,
        '--registry',
        url,
        '--cache',
        path.join(dir, 'npm-cache'),
        '--loglevel=error',
      ],
      { cwd: dir, env: childEnv(), quiet: true },
    );
  }

  // Bulk PUTs go without the token where the server allows it (Verdaccio here): it verifies a token
  // with bcrypt on every request, which would make loading 1,000 versions take minutes.
  const bulkToken = target.anonymousBulkPublish ? null : token;
  const put = (manifest, tarball) =>
    putPublish(url, bulkToken, manifest.name, publishBody(url, manifest, tarball));
  const manyLatencies = [];
  for (const { manifest, tarball } of manyVersions ? fixtures.many : [])
    manyLatencies.push(await put(manifest, tarball));
  for (const { manifest, tarball } of fixtures.tree.packages) await put(manifest, tarball);

  await writeConsumer(
    path.join(dir, 'consumer'),
    fixtures.tree,
    `registry=${url}\n${authLine(url, token)}\n`,
    workDir,
  );
  return { token, manyLatencies };
}

/** The static file server's tree: a packument per package and its tarball, as a mirror would hold them. */
export async function populateStatic(target, fixtures, workDir) {
  const files = path.join(workDir, target.name, 'files');
  const created = new Date().toISOString();
  for (const { name, version, manifest, tarball } of [...fixtures.tree.packages, fixtures.big]) {
    const file = `${name.split('/').pop()}-${version}.tgz`;
    const entry = JSON.parse(publishBody(target.url, manifest, tarball)).versions[version];
    entry.dist.tarball = new URL(`${name}/-/${file}`, target.url).href;
    const packument = {
      _id: name,
      name,
      description: manifest.description,
      'dist-tags': { latest: version },
      versions: { [version]: entry },
      time: { created, modified: created, [version]: created },
    };
    await mkdir(path.join(files, name, '-'), { recursive: true });
    await writeFile(path.join(files, name, 'index.json'), JSON.stringify(packument));
    await writeFile(path.join(files, name, '-', file), tarball);
  }
  await writeConsumer(
    path.join(workDir, target.name, 'consumer'),
    fixtures.tree,
    `registry=${target.url}\n`,
    workDir,
  );
}

/** A project depending on the tree's roots, with a package-lock.json resolved against one registry. */
async function writeConsumer(dir, { roots, packages }, npmrc, workDir) {
  await mkdir(dir, { recursive: true });
  const dependencies = Object.fromEntries(roots.map((name) => [name, '^1.0.0']));
  await writeFile(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'bench-consumer', version: '1.0.0', private: true, dependencies }, null, 2)}\n`,
  );
  await writeFile(path.join(dir, '.npmrc'), npmrc);
  await runProcess(
    'npm',
    [
      'install',
      '--package-lock-only',
      '--ignore-scripts',
      '--cache',
      path.join(dir, '..', 'npm-cache'),
      '--loglevel=error',
    ],
    { cwd: dir, env: isolatedNpmEnv(workDir), quiet: true },
  );
  const lock = JSON.parse(await readFile(path.join(dir, 'package-lock.json'), 'utf8'));
  const locked = Object.keys(lock.packages).filter((key) => key.startsWith('node_modules/')).length;
  if (locked !== packages.length)
    throw new Error(`the lockfile in ${dir} holds ${locked} packages, expected ${packages.length}`);
}

/**
 * A copy of the consumer project `from` (resolved against `upstream`) for installing through a proxy
 * of it: every `resolved` URL rewritten to the proxy's base, and `.npmrc` with the proxy and a token.
 * No request reaches the proxy, so its cache stays cold until the timed `npm ci`.
 */
export async function writeProxyConsumer({ dir, from, upstream, registry, token }) {
  await mkdir(dir, { recursive: true });
  await copyFile(path.join(from, 'package.json'), path.join(dir, 'package.json'));
  const lock = JSON.parse(await readFile(path.join(from, 'package-lock.json'), 'utf8'));
  let rewritten = 0;
  for (const entry of Object.values(lock.packages)) {
    if (!entry.resolved) continue;
    if (!entry.resolved.startsWith(upstream))
      throw new Error(`${from}/package-lock.json resolves ${entry.resolved} outside ${upstream}`);
    entry.resolved = registry + entry.resolved.slice(upstream.length);
    rewritten++;
  }
  if (rewritten === 0) throw new Error(`${from}/package-lock.json has no resolved URLs`);
  await writeFile(path.join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  await writeFile(path.join(dir, '.npmrc'), `registry=${registry}\n${authLine(registry, token)}\n`);
}
