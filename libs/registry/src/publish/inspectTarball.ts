import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BadRequestError, isAppError } from '@myorg/error';
import {
  isPlainObject,
  JsonBoundError,
  jsonTooDeepMessage,
  MAX_JSON_DEPTH,
  safeJsonParse,
} from '@myorg/utilities';
import { Parser, type ReadEntry } from 'tar';
import { Messages } from '../messages.ts';

/** More than npm packages unpack to; a tarball beyond it is a decompression bomb, not a package. */
export const MAX_UNPACKED_BYTES = 1024 ** 3;
/** Far more than any real package.json; the parsed copy is held in memory and compared field by field. */
export const MAX_PACKAGE_JSON_BYTES = 1024 ** 2;

export interface TarballLimits {
  maxUnpackedBytes?: number;
  maxPackageJsonBytes?: number;
}

/** What a publish needs to know of its tarball: what npm will find there at install. */
export interface TarballContents {
  /** The package folder's package.json, as npm reads it after unpacking. */
  packageJson: Record<string, unknown>;
  /** Whether the package folder holds a `*.gyp` file: npm then runs `node-gyp rebuild` at install. */
  hasGypFile: boolean;
}

/**
 * Reads a publish's tarball as a stream and returns its package.json, refusing (400) what would not
 * install: gzip that is damaged or cut short, no tar inside, more than `maxUnpackedBytes` unpacked,
 * no package.json or one that is not a JSON object. Inflating runs on the thread pool and only
 * package.json is kept, so memory stays at a few buffers whatever the tarball's size.
 *
 * npm unpacks with the first path segment stripped, whatever its name (`package/` from `npm pack`,
 * other folders from other packers), so `<anything>/package.json` is the package's package.json.
 * zlib checks the trailer's CRC when the trailer is there, but a stream cut short simply ends, so
 * the trailer's length field (the last four bytes) is compared with what came out.
 */
export async function inspectTarball(
  source: AsyncIterable<Uint8Array>,
  { maxUnpackedBytes = MAX_UNPACKED_BYTES, maxPackageJsonBytes = MAX_PACKAGE_JSON_BYTES }: TarballLimits = {},
): Promise<TarballContents> {
  const trailer = new GzipTrailer();
  const archive = new ArchiveReader(maxPackageJsonBytes);
  let unpacked = 0;
  try {
    await pipeline(trailer.watch(source), createGunzip(), async (inflated: AsyncIterable<Buffer>) => {
      for await (const chunk of inflated) {
        unpacked += chunk.byteLength;
        if (unpacked > maxUnpackedBytes) {
          throw new BadRequestError(Messages.attachmentTooLarge(maxUnpackedBytes), {
            code: 'EBADATTACHMENT',
          });
        }
        await archive.write(chunk);
      }
      if (!trailer.matches(unpacked)) throw corrupt(undefined);
      await archive.end();
    });
  } catch (error) {
    if (isAppError(error)) throw error;
    throw corrupt(error);
  }
  return { packageJson: parsePackageJson(archive.packageJson()), hasGypFile: archive.hasGypFile };
}

/** The last four bytes of a gzip stream seen so far: the trailer's ISIZE, the unpacked length mod 2^32. */
class GzipTrailer {
  #tail = Buffer.alloc(0);

  async *watch(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const chunk of source) {
      this.#tail = Buffer.concat([this.#tail, chunk.subarray(-4)]).subarray(-4);
      yield chunk;
    }
  }

  matches(unpacked: number): boolean {
    return this.#tail.byteLength === 4 && this.#tail.readUInt32LE(0) === unpacked % 2 ** 32;
  }
}

/**
 * Feeds inflated bytes to node-tar's parser (the one npm unpacks with: pax and GNU long names,
 * checksums) and keeps only what `inspectTarball` reports. Strict mode turns every damaged entry
 * into an error, which is reported as "no tar archive".
 */
class ArchiveReader {
  readonly #parser: Parser;
  readonly #maxPackageJsonBytes: number;
  #failure: Error | undefined;
  #packageJson: Buffer[] | undefined;
  hasGypFile = false;

  constructor(maxPackageJsonBytes: number) {
    this.#maxPackageJsonBytes = maxPackageJsonBytes;
    this.#parser = new Parser({
      strict: true,
      filter: (path, entry) => this.#wanted(path, entry as ReadEntry),
      onReadEntry: (entry) => this.#read(entry),
    });
    this.#parser.on('error', (error: Error) => this.#fail(notTar(error)));
  }

  async write(chunk: Buffer): Promise<void> {
    const flowing = this.#parser.write(chunk);
    this.#throwIfFailed();
    if (!flowing) await this.#settled('drain');
  }

  async end(): Promise<void> {
    const ended = this.#settled('end');
    this.#parser.end();
    await ended;
  }

  /** Waits for `event`; an error instead was recorded by the listener and is thrown here. */
  async #settled(event: string): Promise<void> {
    await once(this.#parser, event).catch(() => undefined);
    this.#throwIfFailed();
  }

  packageJson(): Buffer {
    if (this.#packageJson === undefined) {
      throw new BadRequestError(Messages.tarballWithoutPackageJson, { code: 'EBADATTACHMENT' });
    }
    return Buffer.concat(this.#packageJson);
  }

  /** Only the root package.json is read; `*.gyp` files at the root are noted and skipped. */
  #wanted(path: string, entry: ReadEntry): boolean {
    const inPackage = path.split('/').slice(1).join('/');
    if (inPackage === 'package.json') return true;
    if (/^[^./][^/]*\.gyp$/.test(inPackage) && isFile(entry)) this.hasGypFile = true;
    return false;
  }

  #read(entry: ReadEntry): void {
    const refusal = this.#refusalOf(entry);
    if (refusal !== undefined) {
      this.#fail(new BadRequestError(refusal, { code: 'EBADATTACHMENT' }));
      entry.resume();
      return;
    }
    const chunks: Buffer[] = [];
    this.#packageJson = chunks;
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
  }

  /** Why a package.json entry cannot be the package's: a second one, a link, too large. */
  #refusalOf(entry: ReadEntry): string | undefined {
    if (this.#packageJson !== undefined) return Messages.tarballPackageJsonTwice;
    if (!isFile(entry)) return Messages.tarballPackageJsonNotFile;
    if (entry.size > this.#maxPackageJsonBytes)
      return Messages.tarballPackageJsonTooLarge(this.#maxPackageJsonBytes);
    return undefined;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/** Regular files only: a package.json that is a link would make npm read another file. */
function isFile(entry: ReadEntry): boolean {
  return entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile';
}

function parsePackageJson(bytes: Buffer): Record<string, unknown> {
  // Like npm's JSON reader, this skips a byte order mark.
  const parsed = safeJsonParse(bytes, { bounds: { maxDepth: MAX_JSON_DEPTH } });
  if (!parsed.ok) {
    throw invalidPackageJson(
      parsed.error instanceof JsonBoundError ? jsonTooDeepMessage('it') : 'it is not JSON',
    );
  }
  if (!isPlainObject(parsed.value)) throw invalidPackageJson('it is not a JSON object');
  return parsed.value;
}

function invalidPackageJson(reason: string): BadRequestError {
  return new BadRequestError(Messages.tarballPackageJsonInvalid(reason), { code: 'EBADATTACHMENT' });
}

function notTar(cause: unknown): BadRequestError {
  return new BadRequestError(Messages.attachmentNotTar, { code: 'EBADATTACHMENT', cause });
}

function corrupt(cause: unknown): BadRequestError {
  return new BadRequestError(Messages.attachmentCorrupt, { code: 'EBADATTACHMENT', cause });
}
