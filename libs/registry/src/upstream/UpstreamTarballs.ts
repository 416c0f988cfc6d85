import { ContentType } from '@myorg/constants';
import { BadGatewayError, isAppError, NotFoundError } from '@myorg/error';
import { type RegistryClient, RegistryError } from '@myorg/services';
import { type ObjectInfo, type ObjectStorage, type ObjectStream, StorageErrorCode } from '@myorg/storage';
import { tarballFileName } from '@myorg/validation';
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

/** A stored upstream tarball, with the strong ETag of its verified digest. */
export interface StoredTarball<T extends ObjectInfo> {
  object: T;
  etag: string;
}

/**
 * Upstream tarballs, kept for good once fetched. A missing one is streamed from the upstream into
 * storage while it is hashed, and committed only if it matches the digest the upstream's document
 * promises; clients are then served from storage. So no client ever receives a byte that failed
 * the check, and a bad download leaves nothing behind. Concurrent requests for the same tarball
 * share one download.
 */
export class UpstreamTarballs {
  readonly #options: UpstreamTarballsOptions;
  readonly #downloads = new Map<string, Promise<void>>();

  constructor(options: UpstreamTarballsOptions) {
    this.#options = options;
  }

  /** The tarball of `manifest` to stream, downloaded first if it is not stored yet. */
  open(manifest: VersionManifest): Promise<StoredTarball<ObjectStream>> {
    return this.#stored(manifest, (key) => this.#options.storage.getStream(key));
  }

  /** The size and ETag of the tarball of `manifest` (for HEAD), downloaded first if need be. */
  head(manifest: VersionManifest): Promise<StoredTarball<ObjectInfo>> {
    return this.#stored(manifest, (key) => this.#options.storage.head(key));
  }

  async #stored<T extends ObjectInfo>(
    manifest: VersionManifest,
    read: (key: string) => Promise<T | undefined>,
  ): Promise<StoredTarball<T>> {
    const fileName = tarballFileName(manifest.name, manifest.version);
    const digest = expectedDigest(manifest.dist);
    if (digest === undefined) {
      throw new BadGatewayError(UpstreamMessages.noChecksum(fileName), {
        code: UpstreamErrorCode.NO_CHECKSUM,
      });
    }
    const key = upstreamTarballKey(manifest.name, manifest.version, digest.hex);
    const etag = `"${digest.hex}"`;
    const stored = await read(key);
    if (stored !== undefined) return { object: stored, etag };
    await this.#download(manifest, key, digest, fileName);
    const downloaded = await read(key);
    // Stored a moment ago; gone only if someone deleted it in between.
    if (downloaded === undefined) throw new NotFoundError(Messages.noSuchTarball(fileName));
    return { object: downloaded, etag };
  }

  #download(manifest: VersionManifest, key: string, digest: ExpectedDigest, fileName: string): Promise<void> {
    let download = this.#downloads.get(key);
    if (download === undefined) {
      download = this.#fetchVerified(manifest.dist.tarball, key, digest, fileName).finally(() =>
        this.#downloads.delete(key),
      );
      this.#downloads.set(key, download);
    }
    return download;
  }

  async #fetchVerified(url: string, key: string, digest: ExpectedDigest, fileName: string): Promise<void> {
    const { client, gate, storage } = this.#options;
    const mismatch = () =>
      new BadGatewayError(UpstreamMessages.integrityMismatch(fileName), {
        code: UpstreamErrorCode.INTEGRITY,
      });
    try {
      await gate.run(async () => {
        const tarball = await client.getTarball(url);
        await storage.putStream(key, verifiedStream(tarball.body, digest, mismatch), {
          contentType: ContentType.OCTET_STREAM,
          ifNoneMatch: '*',
        });
      });
    } catch (error) {
      // Another process stored the same verified bytes first: they are there to serve.
      if (isAppError(error) && error.code === StorageErrorCode.PRECONDITION) return;
      if (error instanceof RegistryError && error.status === 404) {
        throw new NotFoundError(Messages.noSuchTarball(fileName));
      }
      throw isUnavailability(error) || error instanceof RegistryError
        ? unavailableError(UpstreamMessages.notCached(fileName), error)
        : error;
    }
  }
}
