import { randomBytes } from 'node:crypto';
import type { BigIntStats, Dirent } from 'node:fs';
import {
  type FileHandle,
  link,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
} from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assertValidKey, isValidKey, RESERVED_SEGMENT_PREFIX } from './assertValidKey.ts';
import { byteRange } from './byteRange.ts';
import { assertConditions, checkPreconditions } from './checkPreconditions.ts';
import { compareKeys } from './compareKeys.ts';
import { contentTypeForKey } from './contentTypeForKey.ts';
import { FileRangeStream } from './FileRangeStream.ts';
import { fileEtag, nextWriteTime } from './fileEtag.ts';
import { isCaseInsensitive } from './isCaseInsensitive.ts';
import { KeyedMutex } from './KeyedMutex.ts';
import type {
  ListOptions,
  ListPage,
  ObjectInfo,
  ObjectStorage,
  ObjectStream,
  StoredObject,
  WriteOptions,
} from './ObjectStorage.ts';
import { isInBound, type KeyBound, paginate } from './paginate.ts';
import { invalidKey, invalidOption, keyConflict, preconditionFailed } from './storageErrors.ts';

/** Read size for streamed objects: 64 KiB reads made serving a 1 MB tarball cost ~40 % more CPU than 512 KiB reads. */
const STREAM_CHUNK_BYTES = 512 * 1024;

/** One lock per file for the whole process, so two instances over the same directory still take turns. */
const locks = new KeyedMutex();

/** Errors that mean "no such object here": the path is missing or runs through a file. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR']);
/** Errors from fsync of a directory on platforms or file systems that do not support it. */
const UNSUPPORTED_DIRECTORY_SYNC = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF']);
/** How often a write retries when a concurrent delete removed its freshly made folder. */
const FOLDER_ATTEMPTS = 5;

interface FolderEntry {
  name: string;
  folder: boolean;
}

interface TemporaryFile {
  path: string;
  stats: BigIntStats;
  createdFolder: string | undefined;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function statFile(file: string): Promise<BigIntStats | undefined> {
  try {
    const stats = await stat(file, { bigint: true });
    return stats.isFile() ? stats : undefined;
  } catch (error) {
    if (ABSENT.has(errorCode(error) ?? '')) return undefined;
    throw error;
  }
}

/** Opens a stored object for reading, or answers undefined when there is none (a folder is none). */
async function openObject(file: string): Promise<{ handle: FileHandle; stats: BigIntStats } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (ABSENT.has(errorCode(error) ?? '') || errorCode(error) === 'EISDIR') return undefined;
    throw error;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (stats.isFile()) return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return undefined;
}

/** Removes `file` if it is there. */
async function removeFile(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if (!ABSENT.has(errorCode(error) ?? '')) throw error;
  }
}

async function writeFully(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let offset = 0; offset < chunk.byteLength; ) {
    const { bytesWritten } = await handle.write(chunk, offset);
    offset += bytesWritten;
  }
}

/**
 * Makes a rename, link or unlink inside `folder` durable; a no-op where directories cannot be
 * synced. A folder that is gone was emptied and pruned by a later delete, which superseded the
 * change to be synced, so there is nothing left to make durable.
 */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = errorCode(error) ?? '';
    if (!UNSUPPORTED_DIRECTORY_SYNC.has(code) && !ABSENT.has(code)) throw error;
  }
}

/** Syncs `folder` and, when the write created folders, each parent up to the first existing one. */
async function syncFolders(folder: string, createdFolder: string | undefined): Promise<void> {
  const last = createdFolder === undefined ? folder : path.dirname(createdFolder);
  for (let current = folder; ; current = path.dirname(current)) {
    await syncFolder(current);
    if (current === last || current === path.dirname(current)) return;
  }
}

async function readFolder(folder: string): Promise<FolderEntry[]> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (ABSENT.has(errorCode(error) ?? '')) return [];
    throw error;
  }
  // Temporary files, symlinks and names no key could have are not objects.
  const entries = dirents
    .filter((dirent) => (dirent.isFile() || dirent.isDirectory()) && isValidKey(dirent.name))
    .map((dirent) => ({ name: dirent.name, folder: dirent.isDirectory() }));
  // A folder's keys all continue with '/', so it sorts as its name plus '/' among its siblings.
  const sortName = (entry: FolderEntry) => (entry.folder ? `${entry.name}/` : entry.name);
  return entries.sort((a, b) => compareKeys(sortName(a), sortName(b)));
}

/** Index of the first entry of a sorted folder that holds or leads to a key inside the bound. */
function firstInBound(entries: FolderEntry[], folderKey: string, from: KeyBound): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = entries[middle]!;
    const key = folderKey + entry.name;
    // Every key under folder `key` lies before `${key}0`, the string right after `${key}/…`.
    const reaches = entry.folder ? compareKeys(`${key}0`, from.key) > 0 : isInBound(key, from);
    if (reaches) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Objects as files under a root directory, one file per key (`a/b.json` is `<root>/a/b.json`).
 *
 * Every write goes to a uniquely named temporary file (`.~…`) in the target's folder, is fsynced
 * and then renamed (or, for `ifNoneMatch: '*'`, hard-linked) into place, so a crash leaves the old
 * object or the new one and at worst a stray temporary file that listings ignore and
 * `sweepTemporaryFiles` removes. The folder is synced too, so the new name survives a crash, except
 * for `cache` writes. Conditions are checked and committed under a per-file lock in
 * this process; `ifNoneMatch: '*'` also holds across processes because `link` fails when the
 * target exists. `ifMatch` across processes is not atomic: run one writer process per root.
 *
 * Etags come from `stat` alone (inode, size, modification time in ns). Content types are not
 * stored: they are derived from the key's extension (`.json`, `.tgz`). A key cannot be both an
 * object and a folder of objects (`a/b` and `a/b/c`): such a write fails with `EKEYCONFLICT`. On
 * a case-insensitive file system only keys without upper-case and non-ASCII letters are accepted,
 * since others could overwrite each other.
 */
export class FileSystemStorage implements ObjectStorage {
  readonly root: string;
  readonly description: string;
  private caseProbe: Promise<boolean> | undefined;

  constructor(rootDir: string) {
    this.root = path.resolve(rootDir);
    this.description = pathToFileURL(this.root).href;
  }

  /** A storage for a `file:///absolute/path` URL. */
  static fromUrl(url: string | URL): FileSystemStorage {
    let root: string;
    try {
      root = fileURLToPath(url);
    } catch (cause) {
      throw invalidOption(`not a usable file URL: ${String(url)} (${(cause as Error).message})`);
    }
    return new FileSystemStorage(root);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const opened = await openObject(await this.fileFor(key));
    if (!opened) return undefined;
    try {
      return { ...this.info(key, opened.stats), body: await opened.handle.readFile() };
    } finally {
      await opened.handle.close();
    }
  }

  async getStream(key: string, range?: { start: number; end?: number }): Promise<ObjectStream | undefined> {
    const opened = await openObject(await this.fileFor(key));
    if (!opened) return undefined;
    const info = this.info(key, opened.stats);
    if (!range) {
      return { ...info, body: new FileRangeStream(opened.handle, 0, info.size - 1, STREAM_CHUNK_BYTES) };
    }
    let bytes: { start: number; end: number };
    try {
      bytes = byteRange(key, info.size, range);
    } catch (error) {
      await opened.handle.close();
      throw error;
    }
    return {
      ...info,
      range: bytes,
      body: new FileRangeStream(opened.handle, bytes.start, bytes.end, STREAM_CHUNK_BYTES),
    };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const stats = await statFile(await this.fileFor(key));
    return stats && this.info(key, stats);
  }

  put(key: string, body: Uint8Array | string, options?: WriteOptions): Promise<ObjectInfo> {
    return this.write(key, [typeof body === 'string' ? Buffer.from(body) : body], options);
  }

  putStream(key: string, body: AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<ObjectInfo> {
    return this.write(key, body, options);
  }

  async delete(key: string, options: { ifMatch?: string } = {}): Promise<boolean> {
    assertConditions(options);
    const file = await this.fileFor(key);
    const removed = await locks.run(file, async () => {
      const stats = await statFile(file);
      checkPreconditions(key, stats && fileEtag(stats), options);
      if (!stats) return false;
      try {
        await rm(file);
        return true;
      } catch (error) {
        if (ABSENT.has(errorCode(error) ?? '')) return false;
        throw error;
      }
    });
    if (removed) {
      await syncFolder(path.dirname(file));
      await this.pruneEmptyFolders(path.dirname(file));
    }
    return removed;
  }

  list(options: ListOptions = {}): Promise<ListPage> {
    // Folder contents are read once per call, however often the scan restarts past a common prefix.
    const folders = new Map<string, Promise<FolderEntry[]>>();
    return paginate(options, (from) => this.walk('', from, folders));
  }

  /**
   * Removes temporary files left by writes that crashed, if last modified more than `olderThanMs`
   * ago (keep it well above the longest upload). Answers how many were removed.
   */
  async sweepTemporaryFiles(olderThanMs: number): Promise<number> {
    const before = Date.now() - olderThanMs;
    let removed = 0;
    const sweep = async (folder: string): Promise<void> => {
      let dirents: Dirent[];
      try {
        dirents = await readdir(folder, { withFileTypes: true });
      } catch (error) {
        if (ABSENT.has(errorCode(error) ?? '')) return;
        throw error;
      }
      for (const dirent of dirents) {
        const entryPath = path.join(folder, dirent.name);
        if (dirent.isDirectory()) await sweep(entryPath);
        else if (dirent.isFile() && dirent.name.startsWith(RESERVED_SEGMENT_PREFIX)) {
          const stats = await statFile(entryPath);
          if (stats && Number(stats.mtimeMs) < before) {
            await rm(entryPath, { force: true });
            removed++;
          }
        }
      }
    };
    await sweep(this.root);
    return removed;
  }

  /** The file for a valid key; keys are checked first, so the path never leaves the root. */
  private async fileFor(key: string): Promise<string> {
    assertValidKey(key);
    this.caseProbe ??= isCaseInsensitive(this.root).catch((error: unknown) => {
      this.caseProbe = undefined;
      throw error;
    });
    if ((await this.caseProbe) && /[A-Z]|\P{ASCII}/u.test(key)) {
      throw invalidKey(
        key,
        'holds upper-case or non-ASCII letters, which this case-insensitive file system cannot keep apart',
      );
    }
    return path.join(this.root, ...key.split('/'));
  }

  private info(key: string, stats: BigIntStats): ObjectInfo {
    const info: ObjectInfo = {
      key,
      size: Number(stats.size),
      etag: fileEtag(stats),
      lastModified: stats.mtime,
    };
    const contentType = contentTypeForKey(key);
    return contentType === undefined ? info : { ...info, contentType };
  }

  private async write(
    key: string,
    body: Iterable<Uint8Array> | AsyncIterable<Uint8Array | string>,
    options: WriteOptions = {},
  ): Promise<ObjectInfo> {
    assertConditions(options);
    const file = await this.fileFor(key);
    const conditional = options.ifMatch !== undefined || options.ifNoneMatch !== undefined;
    const checkCurrent = async () => {
      // Each file system call costs tens of microseconds: an unconditional write makes none here.
      if (!conditional) return;
      const stats = await statFile(file);
      checkPreconditions(key, stats && fileEtag(stats), options);
    };
    // Fail before taking in a body whose write could not succeed; checked again under the lock.
    await checkCurrent();
    const temporary = await this.writeTemporary(key, path.dirname(file), body);
    let renamed = false;
    try {
      await locks.run(file, async () => {
        await checkCurrent();
        if (options.ifNoneMatch === '*') await this.linkNew(key, temporary.path, file);
        else {
          await this.replace(key, temporary.path, file);
          renamed = true;
        }
      });
    } finally {
      // A rename used up the temporary name; after a link it is a second name of the object, and
      // after a failure an unused file.
      if (!renamed) await removeFile(temporary.path);
    }
    // A cached copy needs only its contents synced: a crash may then lose the new name, so the
    // object is missing and fetched again, but never partial.
    if (!options.cache) await syncFolders(path.dirname(file), temporary.createdFolder);
    return this.info(key, temporary.stats);
  }

  private async writeTemporary(
    key: string,
    folder: string,
    body: Iterable<Uint8Array> | AsyncIterable<Uint8Array | string>,
  ): Promise<TemporaryFile> {
    const { handle, temporaryPath, createdFolder } = await this.openTemporary(key, folder);
    try {
      try {
        for await (const chunk of body)
          await writeFully(handle, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        const time = nextWriteTime();
        await handle.utimes(time, time);
        await handle.sync();
        return { path: temporaryPath, stats: await handle.stat({ bigint: true }), createdFolder };
      } finally {
        await handle.close();
      }
    } catch (error) {
      await removeFile(temporaryPath);
      // A failed write leaves nothing, not even the folders it made for itself.
      if (createdFolder !== undefined) await this.pruneEmptyFolders(folder);
      throw error;
    }
  }

  /**
   * Opens a new temporary file in `folder`. The folder usually exists, so the file is opened first
   * and the folders made only when that fails: a publish then costs no mkdir calls.
   */
  private async openTemporary(key: string, folder: string) {
    let createdFolder: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const temporaryPath = path.join(
        folder,
        `${RESERVED_SEGMENT_PREFIX}${randomBytes(12).toString('hex')}.tmp`,
      );
      try {
        return { handle: await open(temporaryPath, 'wx'), temporaryPath, createdFolder };
      } catch (error) {
        if (errorCode(error) === 'ENOTDIR') throw keyConflict(key, error);
        // No folder yet, or a delete that pruned empty folders removed it since it was made.
        if (errorCode(error) !== 'ENOENT' || attempt === FOLDER_ATTEMPTS) throw error;
      }
      try {
        createdFolder = await mkdir(folder, { recursive: true });
      } catch (error) {
        if (errorCode(error) === 'ENOTDIR' || errorCode(error) === 'EEXIST') throw keyConflict(key, error);
        throw error;
      }
    }
  }

  /** Creates `file` only if nothing is there, atomically across processes: `link` fails when the name exists. */
  private async linkNew(key: string, temporaryPath: string, file: string): Promise<void> {
    try {
      await link(temporaryPath, file);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      if (await statFile(file)) throw preconditionFailed(key, 'an object already exists');
      throw keyConflict(key, error);
    }
  }

  private async replace(key: string, temporaryPath: string, file: string): Promise<void> {
    try {
      await rename(temporaryPath, file);
    } catch (error) {
      if (['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes(errorCode(error) ?? '')) throw keyConflict(key, error);
      throw error;
    }
  }

  /** Removes folders a delete left empty, up to (not including) the root; stops at the first that is not empty. */
  private async pruneEmptyFolders(folder: string): Promise<void> {
    for (let current = folder; current.startsWith(this.root + path.sep); current = path.dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        // Not empty, or already gone: nothing more to prune.
        return;
      }
    }
  }

  /** Objects at and below folder `folderKey` ('' or ending with '/') in key order, from `from` on. */
  private async *walk(
    folderKey: string,
    from: KeyBound | undefined,
    folders: Map<string, Promise<FolderEntry[]>>,
  ): AsyncGenerator<ObjectInfo> {
    let entries = folders.get(folderKey);
    if (!entries) {
      entries = readFolder(path.join(this.root, ...folderKey.split('/')));
      folders.set(folderKey, entries);
    }
    const sorted = await entries;
    for (let index = from ? firstInBound(sorted, folderKey, from) : 0; index < sorted.length; index++) {
      const entry = sorted[index]!;
      const key = folderKey + entry.name;
      if (entry.folder) {
        const inner = `${key}/`;
        // Only the first folder visited can straddle the bound; everything after it lies beyond.
        yield* this.walk(inner, from?.key.startsWith(inner) ? from : undefined, folders);
        continue;
      }
      if (!isValidKey(key)) continue;
      // The object may have been deleted since its folder was read.
      const stats = await statFile(path.join(this.root, ...key.split('/')));
      if (stats) yield this.info(key, stats);
    }
  }
}
