import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A fresh directory under the OS temp dir; the caller removes it. */
export async function tempDir(label: string): Promise<string> {
  return await mkdtemp(join(tmpdir(), `registry-e2e-${label}-`));
}

export interface PackageSpec {
  name: string;
  version: string;
  description?: string;
  keywords?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
  bin?: string | Record<string, string>;
  /** Extra files beside package.json and index.js, by relative path. */
  files?: Record<string, string | Uint8Array>;
}

/**
 * Writes a publishable package (package.json + index.js + extra files) into a new folder under
 * `parent` and returns that folder; `npm publish` packs it.
 */
export async function writePackage(parent: string, spec: PackageSpec): Promise<string> {
  const dir = join(parent, `${spec.name.replace('/', '__')}-${spec.version}`);
  const { files = {}, ...manifest } = spec;
  const all: Record<string, string | Uint8Array> = {
    'package.json': `${JSON.stringify({ ...manifest, main: 'index.js', license: 'UNLICENSED' }, null, 2)}\n`,
    'index.js': `module.exports = { name: ${JSON.stringify(spec.name)}, version: ${JSON.stringify(spec.version)} };\n`,
    ...files,
  };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** A consumer project in `dir` (created) depending on `dependencies`; answers `dir`. */
export async function writeProject(dir: string, dependencies: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, dependencies }),
  );
  return dir;
}

/** The version of `name` installed in `project`'s node_modules. */
export async function installedVersion(project: string, name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(project, 'node_modules', name, 'package.json'), 'utf8'));
  return (manifest as { version: string }).version;
}

/** A .tgz of `files` under `package/`, made by the system tar as any packer would. */
export async function makeTarball(files: Record<string, string>): Promise<Buffer> {
  const dir = await tempDir('tarball');
  try {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, 'package', path)), { recursive: true });
      await writeFile(join(dir, 'package', path), content);
    }
    await run('tar', ['-czf', join(dir, 'package.tgz'), '-C', dir, 'package']);
    return await readFile(join(dir, 'package.tgz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface PublishBodyOptions {
  tag?: string;
  /** The tarball to attach; a small generated one when omitted. */
  tarball?: Buffer;
  /** Extra package.json fields. */
  manifest?: Record<string, unknown>;
}

/** The JSON body of `PUT /:pkg`, shaped as the npm CLI sends it for one version. */
export async function publishBody(name: string, version: string, options: PublishBodyOptions = {}) {
  const manifest = { name, version, ...options.manifest };
  const tarball =
    options.tarball ??
    (await makeTarball({ 'package.json': JSON.stringify(manifest), 'index.js': 'module.exports = 1;\n' }));
  const fileName = `${name}-${version}.tgz`;
  return {
    _id: name,
    name,
    'dist-tags': { [options.tag ?? 'latest']: version },
    versions: {
      [version]: {
        ...manifest,
        _id: `${name}@${version}`,
        dist: {
          integrity: sha512Integrity(tarball),
          shasum: sha1Hex(tarball),
          tarball: `http://localhost/${fileName}`,
        },
      },
    },
    access: null,
    _attachments: {
      [fileName]: {
        content_type: 'application/octet-stream',
        data: tarball.toString('base64'),
        length: tarball.length,
      },
    },
  };
}

export function sha512Integrity(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}
