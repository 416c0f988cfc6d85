import { PACKUMENTS_PREFIX, PackumentRepository, RENDERED_PREFIX } from '@myorg/registry';
import { listAll, type ObjectStorage } from '@myorg/storage';
import type { Progress } from './progress.ts';
import { runPool } from './runPool.ts';
import { Tally } from './Tally.ts';

const EXTENSION = '.json';

export interface ReindexOptions {
  storage: ObjectStorage;
  concurrency: number;
  dryRun: boolean;
  signal?: AbortSignal;
  progress: Progress;
}

/**
 * `reindex`: reads every stored packument (one that does not parse is reported: search and
 * installs would fail on it) and removes the pre-rendered bodies (`rendered/`), which the
 * registry renders again from the stored documents on the next read. The search index itself
 * is never stored: each registry process builds it from these same documents on its first search.
 */
export async function reindexStorage(options: ReindexOptions): Promise<Tally> {
  const { storage, progress } = options;
  const tally = new Tally();
  const packuments = new PackumentRepository(storage);

  async function check(key: string): Promise<void> {
    const name = key.slice(PACKUMENTS_PREFIX.length, -EXTENSION.length);
    try {
      await packuments.read(name);
      tally.count('packages');
    } catch (error) {
      tally.fail(name, error);
    } finally {
      progress.done();
    }
  }

  async function removeRendered(key: string): Promise<void> {
    try {
      if (!options.dryRun) await storage.delete(key);
      tally.count('rendered');
    } catch (error) {
      tally.fail(key, error);
    } finally {
      progress.done();
    }
  }

  async function* counted(prefix: string): AsyncGenerator<string> {
    for await (const object of listAll(storage, prefix)) {
      if (prefix === PACKUMENTS_PREFIX && !object.key.endsWith(EXTENSION)) continue;
      progress.add(1);
      yield object.key;
    }
  }

  await runPool(counted(PACKUMENTS_PREFIX), options.concurrency, check, options.signal);
  await runPool(counted(RENDERED_PREFIX), options.concurrency, removeRendered, options.signal);
  tally.interrupted = options.signal?.aborted === true;
  return tally;
}
