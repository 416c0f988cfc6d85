import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ObjectStorage, storageFromUrl } from '@myorg/storage';
import { type S3Fixture, startS3rver } from '../../../../../libs/storage/tests/support/s3rver.ts';

export type StorageBackend = 'file' | 's3';

/**
 * The backend every registry of a run uses unless a test names one: `E2E_STORAGE=s3` runs them on
 * s3rver (behind the conditional-write proxy of @myorg/storage's tests), the filesystem otherwise.
 */
export function runBackend(): StorageBackend {
  const chosen = process.env.E2E_STORAGE || 'file';
  if (chosen !== 'file' && chosen !== 's3') throw new Error(`E2E_STORAGE is "file" or "s3", not "${chosen}"`);
  return chosen;
}

/** Where a registry keeps its data, as the server, the admin CLI and the test itself reach it. */
export interface TestStorage {
  /** REGISTRY_STORAGE, and the admin CLI's `--storage`. */
  readonly url: string;
  /** What a process needs in its environment to reach it: the S3 endpoint and keys, or nothing. */
  readonly env: Readonly<Record<string, string>>;
  /** The storage as a registry process sees it, opened in this process. */
  open(): ObjectStorage;
  /** Deletes what it holds. */
  remove(): Promise<void>;
  /** On S3: how many writes of `key` reached the store so far, those its conditions refused included. */
  writesTo?(key: string): number;
}

/**
 * One s3rver per test file, shared by its storages and stopped when the last is removed. Its
 * endpoint and keys go into this process's environment, where `storageFromUrl` reads them.
 */
let s3rver: { started: Promise<S3Fixture>; users: number } | undefined;

async function acquireS3rver(): Promise<S3Fixture> {
  if (s3rver === undefined) {
    const started = startS3rver().then(
      (fixture) => {
        Object.assign(process.env, fixture.env());
        return fixture;
      },
      (error: unknown) => {
        // The next storage tries a fresh start.
        s3rver = undefined;
        throw error;
      },
    );
    s3rver = { started, users: 0 };
  }
  s3rver.users += 1;
  return await s3rver.started;
}

async function releaseS3rver(): Promise<void> {
  if (s3rver === undefined || --s3rver.users > 0) return;
  const { started } = s3rver;
  s3rver = undefined;
  await (await started).stop();
}

/** A directory the caller owns (and removes): for tests of what the filesystem backend writes. */
export function directoryStorage(directory: string): TestStorage {
  const url = pathToFileURL(directory).href;
  return { url, env: {}, open: () => storageFromUrl(url), remove: async () => {} };
}

/** An empty storage of `backend`: a temp directory, or a fresh bucket on this file's s3rver. */
export async function createStorage(backend: StorageBackend = runBackend()): Promise<TestStorage> {
  if (backend === 'file') {
    const directory = await mkdtemp(join(tmpdir(), 'registry-e2e-storage-'));
    return { ...directoryStorage(directory), remove: () => rm(directory, { recursive: true, force: true }) };
  }
  const fixture = await acquireS3rver();
  try {
    const bucket = await fixture.createBucket();
    const url = `s3://${bucket}/registry`;
    let removed = false;
    const remove = async () => {
      if (removed) return;
      removed = true;
      await releaseS3rver();
    };
    const writesTo = (key: string) =>
      fixture.writes.filter((write) => write.key === `/${bucket}/registry/${key}`).length;
    return { url, env: fixture.env(), open: () => storageFromUrl(url), remove, writesTo };
  } catch (error) {
    await releaseS3rver();
    throw error;
  }
}
