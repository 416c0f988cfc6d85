import {
  applyPackageChange,
  PACKUMENTS_PREFIX,
  type Packument,
  PackumentRepository,
  TARBALLS_PREFIX,
  tarballKey,
} from '@myorg/registry';
import { listAll, type ObjectStorage } from '@myorg/storage';
import { integrityMatches, sha1Hex } from '@myorg/utilities';
import { StorageMessages } from './messages.ts';
import type { Progress } from './progress.ts';
import { runPool } from './runPool.ts';
import { Tally } from './Tally.ts';

const EXTENSION = '.json';

export interface VerifyOptions {
  storage: ObjectStorage;
  concurrency: number;
  /** Remove the versions whose tarball is missing (never a tampered one: its bytes are evidence). */
  fix: boolean;
  dryRun: boolean;
  signal?: AbortSignal;
  progress: Progress;
  now?: () => Date;
}

/** The packument names and tarball keys one listing of the storage holds. */
async function scanStorage(storage: ObjectStorage, progress: Progress) {
  const names: string[] = [];
  const tarballs = new Set<string>();
  for await (const object of listAll(storage, PACKUMENTS_PREFIX)) {
    if (!object.key.endsWith(EXTENSION)) continue;
    names.push(object.key.slice(PACKUMENTS_PREFIX.length, -EXTENSION.length));
    progress.add(1);
  }
  for await (const object of listAll(storage, TARBALLS_PREFIX)) tarballs.add(object.key);
  return { names, tarballs };
}

/**
 * `verify`: every packument parses, every version's tarball is stored and matches the version's
 * integrity and shasum, and every tag names a version. Problems go to `failed` (exit 1); tarballs
 * no version names (left by an interrupted import or a failed publish, never served) are listed as
 * skipped. With `fix`, versions whose tarball is missing are removed from their packument (as an
 * unpublish does, their time kept so the version is never published again with other bytes).
 */
export async function verifyStorage(options: VerifyOptions): Promise<Tally> {
  const { storage, progress } = options;
  const now = options.now ?? (() => new Date());
  const tally = new Tally();
  const packuments = new PackumentRepository(storage);
  const { names, tarballs } = await scanStorage(storage, progress);
  const referenced = new Set<string>();

  async function checkVersion(packument: Packument, version: string): Promise<'missing' | undefined> {
    const { dist } = packument.versions[version] ?? {};
    const label = `${packument.name}@${version}`;
    if (dist === undefined || typeof dist.shasum !== 'string' || typeof dist.integrity !== 'string') {
      tally.fail(label, new Error(StorageMessages.distWithoutHashes));
      return undefined;
    }
    const key = tarballKey(packument.name, version, dist.shasum);
    referenced.add(key);
    const stored = tarballs.has(key) ? await storage.get(key) : undefined;
    if (stored === undefined) {
      tally.fail(label, new Error(StorageMessages.tarballMissing(key)));
      return 'missing';
    }
    if (sha1Hex(stored.body) !== dist.shasum || !integrityMatches(stored.body, dist.integrity))
      tally.fail(label, new Error(StorageMessages.tarballTampered(key)));
    else tally.count('versions');
    return undefined;
  }

  async function removeMissing(name: string, missing: readonly string[]): Promise<void> {
    try {
      await packuments.update(name, (current) => {
        if (current === undefined) throw new Error(StorageMessages.packumentGone);
        const versions = Object.fromEntries(
          Object.keys(current.versions)
            .filter((version) => !missing.includes(version))
            .map((version) => [version, {}]),
        );
        return applyPackageChange(current, { versions }, now(), { allowRemoval: true }).packument;
      });
      tally.count('removed', missing.length);
    } catch (error) {
      tally.fail(name, new Error(StorageMessages.fixFailed(error)));
    }
  }

  async function checkPackage(name: string): Promise<void> {
    try {
      const packument = await packuments.read(name);
      if (packument === undefined) return;
      const missing: string[] = [];
      for (const version of Object.keys(packument.versions)) {
        if ((await checkVersion(packument, version)) === 'missing') missing.push(version);
      }
      for (const [tag, version] of Object.entries(packument['dist-tags'])) {
        if (!Object.hasOwn(packument.versions, version))
          tally.fail(name, new Error(StorageMessages.tagWithoutVersion(tag, version)));
      }
      tally.count('packages');
      if (options.fix && missing.length > 0 && !options.dryRun) await removeMissing(name, missing);
    } catch (error) {
      tally.fail(name, error);
    } finally {
      progress.done();
    }
  }

  await runPool(names, options.concurrency, checkPackage, options.signal);
  tally.interrupted = options.signal?.aborted === true;
  if (!tally.interrupted) {
    for (const key of tarballs)
      if (!referenced.has(key)) tally.skip(key, StorageMessages.unreferencedTarball);
  }
  return tally;
}
