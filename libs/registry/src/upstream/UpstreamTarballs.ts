import type { Readable } from 'node:stream';
import { ContentType } from '@myorg/constants';
import { BadGatewayError, NotFoundError } from '@myorg/error';
import { type RegistryClient, RegistryError } from '@myorg/services';
import { isStorageError, type ObjectInfo, type ObjectStorage, StorageErrorCode } from '@myorg/storage';
import { tarballFileName } from '@myorg/validation';
import { SingleFlight } from '../cache/SingleFlight.ts';
import { Messages } from '../messages.ts';
import type { VersionManifest } from '../packument/types.ts';
import { type ExpectedDigest, expectedDigest } from './expectedDigest.ts';
import { UpstreamMessages } from './messages.ts';
import type { UpstreamGate } from './UpstreamGate.ts';
import { isUnavailability, UpstreamErrorCode, unavailableError } from './upstreamFailure.ts';
import { upstreamTarballKey } from './upstreamKeys.ts';
import { verifiedStream } from './verifiedStream.ts';

export interface UpstreamTarballsOptions {
  client: RegistryClient;
  gate: UpstreamGate;
  storage: ObjectStorage;
}

/** What a response needs to describe an upstream tarball: its size and the strong ETag of its verified digest. */
export interface TarballInfo {
  size: number;
  etag: string;
  /** Where storage keeps the verified bytes (for a transport that sends clients there). */
  key: string;
}

/** An upstream tarball to send: just downloaded and still in memory, or streamed from storage. */
export interface UpstreamTarball extends TarballInfo {
  body: Uint8Array | Readable;
}

/**
 * Downloads this small are kept in memory until sent, which spares reading them back from storage.
 * The upstream slots bound how many are being downloaded; a slow client holds its copy until it
 * has read it, as it would hold a stream. Larger ones are sent from storage.
 */
const SENT_FROM_MEMORY_BYTES = 1024 * 1024;

/** A tarball's key in storage, its ETag and what it must hash to. */
interface Wanted {
  manifest: VersionManifest;
  fileName: string;
  digest: ExpectedDigest;
  key: string;
  etag: string;
}

/**
 * Upstream tarballs, kept for good once fetched. A missing one is streamed from the upstream into
 * storage while it is hashed, and committed only if it matches the digest the upstream's document
 * promises; only then is it sent, from memory when small, else from storage. So no client ever
 * receives a byte that failed the check, and a bad download leaves nothing behind. Concurrent
 * requests for the same tarball share one download.
 */
export class UpstreamTarballs {
  readonly #options: UpstreamTarballsOptions;
  readonly #downloads = new SingleFlight<string, Buffer | undefined>();

  constructor(options: UpstreamTarballsOptions) {
    this.#options = options;
  }

  /** The tarball of `manifest` to send, downloaded first if it is not stored yet. */
  async open(manifest: VersionManifest): Promise<UpstreamTarball> {
    const found = await this.#find(manifest, (key) => this.#options.storage.getStream(key));
    return 'bytes' in found
      ? { etag: found.etag, key: found.key, size: found.bytes.byteLength, body: found.bytes }
      : { etag: found.etag, key: found.key, size: found.stored.size, body: found.stored.body };
  }

  /** The size and ETag of the tarball of `manifest` (for HEAD), downloaded first if need be. */
  async head(manifest: VersionManifest): Promise<TarballInfo> {
    const found = await this.#find(manifest, (key) => this.#options.storage.head(key));
    const size = 'bytes' in found ? found.bytes.byteLength : found.stored.size;
    return { etag: found.etag, key: found.key, size };
  }

  /** The tarball as stored (read with `read`), or its verified bytes when just downloaded and small. */
  async #find<T extends ObjectInfo>(
    manifest: VersionManifest,
    read: (key: string) => Promise<T | undefined>,
  ): Promise<{ etag: string; key: string } & ({ stored: T } | { bytes: Buffer })> {
    const wanted = this.#wanted(manifest);
    const { etag, key } = wanted;
    const stored = await read(key);
    if (stored !== undefined) return { etag, key, stored };
    const bytes = await this.#download(wanted);
    if (bytes !== undefined) return { etag, key, bytes };
    const committed = await read(key);
    // Stored a moment ago; gone only if someone deleted it in between.
    if (committed === undefined) throw new NotFoundError(Messages.noSuchTarball(wanted.fileName));
    return { etag, key, stored: committed };
  }

  #wanted(manifest: VersionManifest): Wanted {
    const fileName = tarballFileName(manifest.name, manifest.version);
    const digest = expectedDigest(manifest.dist);
    if (digest === undefined) {
      throw new BadGatewayError(UpstreamMessages.noChecksum(fileName), {
        code: UpstreamErrorCode.NO_CHECKSUM,
      });
    }
    const key = upstreamTarballKey(manifest.name, manifest.version, digest.hex);
    return { manifest, fileName, digest, key, etag: `"${digest.hex}"` };
  }

  /** One download per tarball at a time: its verified bytes when small, else undefined once stored. */
  #download(wanted: Wanted): Promise<Buffer | undefined> {
    return this.#downloads.run(wanted.key, () => this.#fetchVerified(wanted));
  }

  async #fetchVerified({ manifest, fileName, digest, key }: Wanted): Promise<Buffer | undefined> {
    const { client, gate, storage } = this.#options;
    const mismatch = () =>
      new BadGatewayError(UpstreamMessages.integrityMismatch(fileName), {
        code: UpstreamErrorCode.INTEGRITY,
      });
    try {
      return await gate.run(async () => {
        const tarball = await client.getTarball(manifest.dist.tarball);
        const kept: Uint8Array[] | undefined =
          tarball.size !== undefined && tarball.size <= SENT_FROM_MEMORY_BYTES ? [] : undefined;
        const body = kept === undefined ? tarball.body : keeping(tarball.body, kept);
        await storage.putStream(key, verifiedStream(body, digest, mismatch), {
          contentType: ContentType.OCTET_STREAM,
          ifNoneMatch: '*',
          // Lost in a crash, it is fetched again; a partial one is never kept.
          cache: true,
        });
        return kept && Buffer.concat(kept);
      });
    } catch (error) {
      // Another process stored the same verified bytes first: they are there to serve.
      if (isStorageError(error, StorageErrorCode.PRECONDITION)) return undefined;
      if (error instanceof RegistryError && error.status === 404) {
        throw new NotFoundError(Messages.noSuchTarball(fileName));
      }
      throw isUnavailability(error) || error instanceof RegistryError
        ? unavailableError(UpstreamMessages.notCached(fileName), error)
        : error;
    }
  }
}

/** Passes `body` through, keeping every chunk in `kept`. */
async function* keeping(body: AsyncIterable<Uint8Array>, kept: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    kept.push(chunk);
    yield chunk;
  }
}
