import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { PENDING_TARBALLS_PREFIX, RENDERED_PREFIX } from '@myorg/registry';
import {
  isStorageError,
  listAll,
  type ObjectStorage,
  StorageErrorCode,
  type StoredObject,
} from '@myorg/storage';
import { Header, Parser, Pax, type ReadEntry } from 'tar';
import { StorageMessages } from './messages.ts';
import type { Progress } from './progress.ts';
import { Tally } from './Tally.ts';

const BLOCK = 512;
/** A publish's temporaries and bodies rendered for Lambda: never worth keeping, rebuilt on demand. */
const TRANSIENT = [PENDING_TARBALLS_PREFIX, RENDERED_PREFIX];

export interface BackupOptions {
  storage: ObjectStorage;
  file: string;
  concurrency: number;
  signal?: AbortSignal;
  progress: Progress;
}

/** One tar member: a pax header first when the key does not fit ustar's fields. */
function memberHeader(key: string, size: number, mtime: Date): Buffer[] {
  const fields = { path: key, mode: 0o644, size, mtime, type: 'File' as const };
  const header = new Header(fields);
  header.encode();
  if (header.block === undefined) throw new Error(`tar could not encode a header for ${key}`);
  return header.needPax ? [new Pax(fields).encode(), header.block] : [header.block];
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/**
 * `export --to file.tar`: every object of the storage (but its transient ones) as a member of a
 * plain tar named by its key, so any backend restores it with `import`. Objects are read ahead
 * `concurrency` at a time and written in key order; the file appears under its name only once
 * complete (`<file>.partial` until then, removed if the run is interrupted).
 */
export async function exportStorage(options: BackupOptions): Promise<Tally> {
  const { storage, progress } = options;
  const tally = new Tally();
  const partial = `${options.file}.partial`;
  const out = createWriteStream(partial);
  const write = async (chunk: Buffer) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const writeObject = async (object: StoredObject | undefined) => {
    // Gone since it was listed (an unpublish, a sweep): nothing to keep.
    if (object === undefined) return;
    for (const block of memberHeader(object.key, object.body.byteLength, object.lastModified))
      await write(block);
    await write(object.body);
    await write(padding(object.body.byteLength));
    tally.count('objects');
    tally.count('bytes', object.body.byteLength);
    progress.done();
  };
  try {
    const ahead: Promise<StoredObject | undefined>[] = [];
    for await (const info of listAll(storage)) {
      if (options.signal?.aborted) break;
      if (TRANSIENT.some((prefix) => info.key.startsWith(prefix))) continue;
      progress.add(1);
      const read = storage.get(info.key);
      // Awaited in turn below; until then a failure must not count as unhandled.
      read.catch(() => undefined);
      ahead.push(read);
      if (ahead.length >= options.concurrency) await writeObject(await ahead.shift());
    }
    for (let read = ahead.shift(); read !== undefined; read = ahead.shift()) await writeObject(await read);
    tally.interrupted = options.signal?.aborted === true;
    await write(Buffer.alloc(2 * BLOCK));
    out.end();
    await once(out, 'close');
    if (tally.interrupted) await rm(partial, { force: true });
    else await rename(partial, options.file);
    return tally;
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

async function readMember(entry: ReadEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  entry.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(entry, 'end');
  return Buffer.concat(chunks);
}

/**
 * `import --from file.tar`: each member of an `export` stored under its key (the storage refuses
 * keys that would leave it). A key already stored is left alone (reported when its bytes differ),
 * so an interrupted import, run again, completes without writing anything twice.
 */
export async function importStorage(options: BackupOptions & { dryRun: boolean }): Promise<Tally> {
  const { storage, progress } = options;
  const tally = new Tally();
  const running = new Set<Promise<void>>();
  let fatal: { error: unknown } | undefined;

  async function store(key: string, body: Buffer): Promise<void> {
    try {
      if (options.dryRun) {
        tally.count((await storage.head(key)) === undefined ? 'objects' : 'present');
        return;
      }
      await storage.put(key, body, { ifNoneMatch: '*' });
      tally.count('objects');
    } catch (error) {
      if (!isStorageError(error, StorageErrorCode.PRECONDITION)) return tally.fail(key, error);
      tally.count('present');
      const stored = await storage.get(key);
      if (stored !== undefined && !stored.body.equals(body))
        tally.skip(key, StorageMessages.differsFromBackup);
    } finally {
      progress.done();
    }
  }

  const parser = new Parser({
    onReadEntry: (entry) => {
      if (entry.type !== 'File') {
        entry.resume();
        return;
      }
      progress.add(1);
      const task: Promise<void> = readMember(entry)
        .then((body) => store(entry.path, body))
        .catch((error: unknown) => {
          // What stops every write (denied, no bucket) ends the import once the running ones end.
          fatal ??= { error };
        })
        .finally(() => running.delete(task));
      running.add(task);
    },
  });
  const ended = once(parser, 'end');
  for await (const chunk of createReadStream(options.file)) {
    parser.write(chunk as Buffer);
    while (running.size >= options.concurrency) await Promise.race(running);
    if (options.signal?.aborted || fatal !== undefined) break;
  }
  tally.interrupted = options.signal?.aborted === true;
  parser.end();
  if (!tally.interrupted && fatal === undefined) await ended;
  await Promise.all(running);
  if (fatal !== undefined) throw fatal.error;
  return tally;
}
