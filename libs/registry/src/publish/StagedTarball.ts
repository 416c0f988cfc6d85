import { createDigester, type Digest } from '@myorg/utilities';
import type { TarballStore } from '../storage/TarballStore.ts';
import { decodeTarball } from './decodeTarball.ts';

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

/** Decodes an attachment's base64 text into a pending object as it arrives, hashing it on the way. */
export async function stageTarball(
  tarballs: TarballStore,
  data: AsyncIterable<string>,
): Promise<StagedTarball> {
  const digester = createDigester();
  let head = Buffer.alloc(0);
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const bytes of decodeTarball(data)) {
      digester.update(bytes);
      if (head.byteLength < GZIP_MAGIC.byteLength)
        head = Buffer.concat([head, bytes.subarray(0, GZIP_MAGIC.byteLength)]);
      yield bytes;
    }
  }
  const key = await tarballs.stage(hashed());
  return new StagedTarball(
    key,
    digester.digest(),
    head.subarray(0, GZIP_MAGIC.byteLength).equals(GZIP_MAGIC),
  );
}
