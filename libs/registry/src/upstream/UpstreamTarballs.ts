import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { ContentType } from '@myorg/constants';
import { BadGatewayError, NotFoundError } from '@myorg/error';
import { type RegistryClient, RegistryError } from '@myorg/services';
import { isStorageError, type ObjectStorage, StorageErrorCode } from '@myorg/storage';
import { createDigester } from '@myorg/utilities';
import { tarballFileName } from '@myorg/validation';
import { SingleFlight } from '../cache/SingleFlight.ts';
import { Messages } from '../messages.ts';
import type { VersionManifest } from '../packument/types.ts';
import type { TarballMemory } from '../storage/TarballMemory.ts';
import { type ExpectedDigest, expectedDigest } from './expectedDigest.ts';
import { UpstreamMessages } from './messages.ts';
import type { UpstreamGate } from './UpstreamGate.ts';
import type { UpstreamLookupObserver } from './UpstreamProxy.ts';
import { isUnavailability, UpstreamErrorCode, unavailableError } from './upstreamFailure.ts';
import { upstreamTarballKey } from './upstreamKeys.ts';

export interface UpstreamTarballsOptions {
  client: RegistryClient;
  gate: UpstreamGate;
  storage: ObjectStorage;
  memory: TarballMemory;
  /** How long a client that stopped reading may hold up a download before it is cut off. */
  timeoutMs: number;
  /** Told whether each tarball was held (`hit`) or downloaded (`miss`, `failure`); a download shared by concurrent requests counts once. */
  onLookup?: UpstreamLookupObserver;
}

/** What a response needs to describe an upstream tarball: its size and the strong ETag of its verified digest. */
export interface TarballInfo {
  /** Undefined only for a download in progress whose upstream did not say. */
  size?: number;
  etag: string;
  /** Where storage keeps the verified bytes (for a transport that sends clients there). */
  key: string;
}

/** An upstream tarball to send: from memory, from storage, or as it arrives from the upstream. */
export interface UpstreamTarball extends TarballInfo {
  body: Uint8Array | Readable;
}

/**
 * Bytes a client may lag behind a download before the download waits for it (up to `timeoutMs`):
 * a slow client neither holds a whole large tarball in memory nor stalls storing it for long.
 */
const CLIENT_LAG_BYTES = 1024 * 1024;

/** The upstream's answer: its body and the size it announced. */
type Tarball = Awaited<ReturnType<RegistryClient['getTarball']>>;

/** A tarball's key in storage, its ETag and what it must hash to. */
interface Wanted {
  manifest: VersionManifest;
  fileName: string;
  digest: ExpectedDigest;
  key: string;
  etag: string;
}

/**
 * Upstream tarballs, kept for good once fetched. A missing one is streamed from the upstream to
 * the client and into storage at once, while it is hashed: every chunk but the last reaches the
 * client as it arrives; storage commits only once the whole matches the digest the upstream's
 * document promises, and the client gets the last chunk only after that. On a mismatch the client's stream is destroyed, so it
 * never has a complete body, and nothing is kept. Concurrent requests share one download: the
 * first streams it, the others are sent the stored copy once it is committed.
 */
export class UpstreamTarballs {
  readonly #options: UpstreamTarballsOptions;
  readonly #downloads = new SingleFlight<string, void>();

  constructor(options: UpstreamTarballsOptions) {
    this.#options = options;
  }

  /** The tarball of `manifest` to send: held, or streamed from the upstream while it is stored. */
  async open(manifest: VersionManifest): Promise<UpstreamTarball> {
    const wanted = this.#wanted(manifest);
    const { etag, key } = wanted;
    const held = await this.#options.memory.open(this.#options.storage, key);
    if (held !== undefined) {
      this.#options.onLookup?.('tarball', 'hit');
      return { etag, key, ...held };
    }
    if (this.#downloads.running(key) === undefined) {
      const live = await this.#openLive(wanted);
      if (live !== undefined) return { etag, key, ...live };
    }
    await this.#download(wanted);
    const stored = await this.#options.memory.open(this.#options.storage, key);
    // Stored a moment ago; gone only if someone deleted it in between.
    if (stored === undefined) throw new NotFoundError(Messages.noSuchTarball(wanted.fileName));
    return { etag, key, ...stored };
  }

  /** The size and ETag of the tarball of `manifest` (for HEAD), downloaded and stored first if need be. */
  async head(manifest: VersionManifest): Promise<TarballInfo & { size: number }> {
    const wanted = this.#wanted(manifest);
    const { etag, key } = wanted;
    let stored = await this.#options.storage.head(key);
    if (stored === undefined) {
      await this.#download(wanted);
      stored = await this.#options.storage.head(key);
    } else {
      this.#options.onLookup?.('tarball', 'hit');
    }
    if (stored === undefined) throw new NotFoundError(Messages.noSuchTarball(wanted.fileName));
    return { etag, key, size: stored.size };
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

  /**
   * Starts the download of `wanted` with a client attached: resolves with the stream once the
   * upstream has answered, or undefined when storage turned out to hold the tarball already.
   */
  #openLive(wanted: Wanted): Promise<{ size?: number; body: Readable } | undefined> {
    return new Promise((resolve, reject) => {
      const answered = (tarball: Tarball) => {
        const body = new PassThrough({ highWaterMark: CLIENT_LAG_BYTES });
        // Its reader sees a failure as the stream's end; one nobody reads must not crash the process.
        body.on('error', () => undefined);
        resolve(tarball.size === undefined ? { body } : { size: tarball.size, body });
        return body;
      };
      this.#download(wanted, answered).then(() => resolve(undefined), reject);
    });
  }

  /** One download per tarball at a time, settled once it is stored (or failed); `answered` attaches a client to a new one. */
  #download(wanted: Wanted, answered?: (tarball: Tarball) => PassThrough): Promise<void> {
    return this.#downloads.run(wanted.key, () => this.#fetchVerified(wanted, answered));
  }

  async #fetchVerified(wanted: Wanted, answered?: (tarball: Tarball) => PassThrough): Promise<void> {
    const { client, gate, storage } = this.#options;
    let relay: PassThrough | undefined;
    try {
      await gate.run(async () => {
        const tarball = await client.getTarball(wanted.manifest.dist.tarball);
        relay = answered?.(tarball);
        const kept: Buffer[] | undefined =
          tarball.size !== undefined && this.#options.memory.accepts(tarball.size) ? [] : undefined;
        const last: { chunk?: Uint8Array } = {};
        const body = this.#relayed(tarball.body, wanted, relay, last, kept);
        try {
          await storage.putStream(wanted.key, body, {
            contentType: ContentType.OCTET_STREAM,
            ifNoneMatch: '*',
            // Lost in a crash, it is fetched again; a partial one is never kept.
            cache: true,
          });
        } catch (error) {
          if (!isStorageError(error, StorageErrorCode.PRECONDITION)) throw error;
          // Another process stored the same verified bytes first; an attached client still gets
          // them from this download, which storage refused before reading any of it.
          while (!(await body.next()).done);
        }
        // Verified and stored: now the client may have the whole tarball.
        if (relay !== undefined && !relay.destroyed) relay.end(last.chunk);
        if (kept !== undefined) this.#options.memory.keep(wanted.key, Buffer.concat(kept));
      });
      this.#options.onLookup?.('tarball', 'miss');
    } catch (error) {
      this.#options.onLookup?.('tarball', 'failure');
      relay?.destroy(error instanceof Error ? error : new Error(String(error)));
      if (error instanceof RegistryError && error.status === 404) {
        throw new NotFoundError(Messages.noSuchTarball(wanted.fileName));
      }
      throw isUnavailability(error) || error instanceof RegistryError
        ? unavailableError(UpstreamMessages.notCached(wanted.fileName), error)
        : error;
    }
  }

  /**
   * Passes the upstream's bytes on to storage while hashing them, and to `relay` as they come,
   * all but the last chunk, which is left in `last`: the caller sends it once the bytes are
   * verified and stored, so a client never has a complete body that failed the check. Fails after
   * the last chunk on a mismatch, so storage commits nothing. A client that went away is dropped;
   * the download goes on for storage.
   */
  async *#relayed(
    body: AsyncIterable<Uint8Array>,
    wanted: Wanted,
    relay: PassThrough | undefined,
    last: { chunk?: Uint8Array },
    kept: Buffer[] | undefined,
  ): AsyncGenerator<Uint8Array> {
    const { algorithm, value } = wanted.digest;
    const digester = createDigester([algorithm]);
    for await (const chunk of body) {
      digester.update(chunk);
      kept?.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (last.chunk !== undefined && relay !== undefined) await this.#send(relay, last.chunk);
      last.chunk = chunk;
      yield chunk;
    }
    if (digester.digest()[algorithm] !== value) {
      throw new BadGatewayError(UpstreamMessages.integrityMismatch(wanted.fileName), {
        code: UpstreamErrorCode.INTEGRITY,
      });
    }
  }

  /** Writes `chunk` to a client, waiting while it lags too far behind; one that stays behind is cut off. */
  async #send(relay: PassThrough, chunk: Uint8Array): Promise<void> {
    if (relay.destroyed || relay.write(chunk)) return;
    const settled = new AbortController();
    const signal = AbortSignal.any([settled.signal, AbortSignal.timeout(this.#options.timeoutMs)]);
    try {
      await Promise.race([once(relay, 'drain', { signal }), once(relay, 'close', { signal })]);
    } catch {
      relay.destroy(new Error('the client did not read the tarball in time'));
    } finally {
      settled.abort();
    }
  }
}
