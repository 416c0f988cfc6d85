import { Readable } from 'node:stream';
import { PackumentRepository, TarballStore } from '@myorg/registry';
import { listAll, type ObjectStorage } from '@myorg/storage';
import { isPlainObject } from '@myorg/utilities';
import { validatePackageName } from '@myorg/validation';
import {
  type CheckedVersion,
  type CodeboxDocument,
  checkedManifest,
  manifestProblem,
  mergeCodeboxVersions,
  readCodeboxDocument,
} from './codeboxPackument.ts';
import { StorageMessages } from './messages.ts';
import type { Progress } from './progress.ts';
import { runPool } from './runPool.ts';
import { Tally } from './Tally.ts';

const INDEX = '/index.json';
const TARBALL = /^(.+)\/([^/]+)\.tgz$/;

export interface ImportCodeboxOptions {
  source: ObjectStorage;
  target: ObjectStorage;
  concurrency: number;
  dryRun: boolean;
  signal?: AbortSignal;
  progress: Progress;
  now?: () => Date;
}

/** What one listing of a codebox bucket holds: its packages, and tarballs no package claims. */
async function scanBucket(source: ObjectStorage, progress: Progress) {
  const names: string[] = [];
  const tarballDirs = new Map<string, string>();
  for await (const object of listAll(source)) {
    if (object.key.endsWith(INDEX)) {
      names.push(object.key.slice(0, -INDEX.length));
      progress.add(1);
      continue;
    }
    const tarball = TARBALL.exec(object.key);
    if (tarball?.[1] !== undefined) tarballDirs.set(tarball[1], object.key);
  }
  const packages = new Set(names);
  const orphans = [...tarballDirs].filter(([dir]) => !packages.has(dir)).map(([, key]) => key);
  return { names, orphans };
}

/**
 * `import-codebox`: every package of a codebox-npm bucket (`<name>/index.json` with
 * `<name>/<version>.tgz`) into the registry's layout, through the registry's own TarballStore
 * and PackumentRepository, so the documents are those a publish writes (conditional writes
 * included). Each tarball is checked against the hashes codebox recorded; a version that fails
 * is skipped with its reason. Tarballs are stored before the packument that names them, and a
 * version already in the packument is never imported again: an interrupted run, run again,
 * finishes the work without doing any of it twice.
 */
export async function importCodebox(options: ImportCodeboxOptions): Promise<Tally> {
  const { source, target, progress } = options;
  const now = options.now ?? (() => new Date());
  const tally = new Tally();
  const packuments = new PackumentRepository(target);
  const tarballs = new TarballStore(target);
  const { names, orphans } = await scanBucket(source, progress);
  for (const key of orphans) tally.skip(key, StorageMessages.tarballWithoutIndex);

  async function storeTarball(name: string, version: string, shasum: string, bytes: Buffer): Promise<void> {
    const staged = await tarballs.stage(Readable.from([bytes]));
    try {
      await tarballs.commit(staged, name, version, shasum);
    } finally {
      await tarballs.discardStaged(staged);
    }
  }

  async function checkVersions(document: CodeboxDocument, known: (version: string) => boolean) {
    const checked: CheckedVersion[] = [];
    for (const [version, manifest] of Object.entries(document.versions)) {
      const label = `${document.name}@${version}`;
      if (known(version)) {
        tally.count('present');
        continue;
      }
      const problem = manifestProblem(document.name, version, manifest);
      if (problem !== undefined || !isPlainObject(manifest) || !isPlainObject(manifest.dist)) {
        tally.skip(label, problem ?? StorageMessages.manifestNotObject);
        continue;
      }
      const tarball = await source.get(`${document.name}/${version}.tgz`);
      if (tarball === undefined) {
        tally.skip(label, StorageMessages.tarballMissing(`${document.name}/${version}.tgz`));
        continue;
      }
      const stored = checkedManifest(
        document.name,
        version,
        { ...manifest, dist: manifest.dist },
        tarball.body,
      );
      if (typeof stored === 'string') {
        tally.skip(label, stored);
        continue;
      }
      if (!options.dryRun) await storeTarball(document.name, version, stored.dist.shasum, tarball.body);
      const publishedAt = document.time[version];
      checked.push({
        version,
        manifest: stored,
        publishedAt: typeof publishedAt === 'string' ? publishedAt : undefined,
      });
    }
    return checked;
  }

  async function importPackage(name: string): Promise<void> {
    try {
      if (!validatePackageName(name).valid) {
        tally.skip(name, StorageMessages.invalidName);
        return;
      }
      const index = await source.get(`${name}${INDEX}`);
      const document =
        index === undefined ? StorageMessages.indexGone : readCodeboxDocument(name, index.body);
      if (typeof document === 'string') {
        tally.skip(name, document);
        return;
      }
      const current = await packuments.read(name, { latest: true });
      const checked = await checkVersions(
        document,
        (version) => current !== undefined && Object.hasOwn(current.versions, version),
      );
      if (checked.length === 0) return;
      if (!options.dryRun) {
        await packuments.update(name, (latest) => mergeCodeboxVersions(latest, document, checked, now()));
      }
      tally.count('imported', checked.length);
      tally.count('packages');
    } catch (error) {
      tally.fail(name, error);
    } finally {
      progress.done();
    }
  }

  await runPool(names, options.concurrency, importPackage, options.signal);
  tally.interrupted = options.signal?.aborted === true;
  return tally;
}
