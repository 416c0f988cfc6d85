import { createDigester, type Digest } from '@myorg/utilities';
import type { TarballStore } from '../storage/TarballStore.ts';

/**
 * A publish's tarball as it arrived, stored under a pending key (never served) until every check
 * has passed, with the digests and first bytes the checks need, taken while it streamed in.
 */
export class StagedTarball {
  readonly key: string;
  readonly digest: Digest<'sha1' | 'sha512'>;
  /** Whether it starts as every gzip stream does. */
  readonly gzipMagic: boolean;

  constructor(key: string, digest: Digest<'sha1' | 'sha512'>, gzipMagic: boolean) {
    this.key = key;
    this.digest = digest;
    this.gzipMagic = gzipMagic;
  }

  get size(): number {
    return this.digest.size;
  }
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * Stages a tarball's bytes as they arrive (an attachment's decoded base64, or a direct upload read
 * back from storage), hashing them on the way: the digests describe exactly the staged bytes.
 */
export async function stageTarball(
  tarballs: TarballStore,
  bytes: AsyncIterable<Uint8Array>,
): Promise<StagedTarball> {
  const digester = createDigester();
  let head = Buffer.alloc(0);
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of bytes) {
      digester.update(chunk);
      if (head.byteLength < GZIP_MAGIC.byteLength)
        head = Buffer.concat([head, chunk.subarray(0, GZIP_MAGIC.byteLength)]);
      yield chunk;
    }
  }
  const key = await tarballs.stage(hashed());
  return new StagedTarball(
    key,
    digester.digest(),
    head.subarray(0, GZIP_MAGIC.byteLength).equals(GZIP_MAGIC),
  );
}
