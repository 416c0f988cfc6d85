import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BadRequestError, isAppError } from '@myorg/error';
import { Messages } from '../messages.ts';

/** More than npm packages unpack to; a tarball beyond it is a decompression bomb, not a package. */
export const MAX_UNPACKED_BYTES = 1024 ** 3;

/**
 * Refuses a tarball whose gzip stream is cut short or corrupt, or that holds no tar archive: it
 * would install nowhere. The tarball streams through zlib on the thread pool and what comes out is
 * thrown away as it goes, so a large tarball neither blocks the event loop nor takes memory, and
 * one that inflates beyond `maxUnpackedBytes` stops early. zlib checks the trailer's CRC when the
 * trailer is there, but a stream cut short simply ends, so the trailer's length field (the last
 * four bytes) is compared with what came out.
 */
export async function assertGzippedTar(
  tarball: AsyncIterable<Uint8Array>,
  maxUnpackedBytes = MAX_UNPACKED_BYTES,
): Promise<void> {
  let packed = 0;
  let tail = Buffer.alloc(0);
  async function* watched(): AsyncGenerator<Uint8Array> {
    for await (const chunk of tarball) {
      packed += chunk.byteLength;
      tail = Buffer.concat([tail, chunk.subarray(-TRAILER_LENGTH_BYTES)]).subarray(-TRAILER_LENGTH_BYTES);
      yield chunk;
    }
  }
  let unpacked = 0;
  const head: Buffer[] = [];
  try {
    await pipeline(watched, createGunzip(), async (inflated: AsyncIterable<Buffer>) => {
      for await (const chunk of inflated) {
        if (unpacked < TAR_BLOCK) head.push(chunk);
        unpacked += chunk.byteLength;
        if (unpacked > maxUnpackedBytes) {
          throw new BadRequestError(Messages.attachmentTooLarge(maxUnpackedBytes), {
            code: 'EBADATTACHMENT',
          });
        }
      }
    });
  } catch (error) {
    if (isAppError(error)) throw error;
    throw corrupt(error);
  }
  if (packed < 18 || tail.readUInt32LE(0) !== unpacked % 2 ** 32) throw corrupt(undefined);
  if (!isTarHeader(Buffer.concat(head).subarray(0, TAR_BLOCK))) {
    throw new BadRequestError(Messages.attachmentNotTar, { code: 'EBADATTACHMENT' });
  }
}

/** A gzip trailer ends with the length of the uncompressed data, modulo 2^32. */
const TRAILER_LENGTH_BYTES = 4;
const TAR_BLOCK = 512;

/** Whether `block` is a tar header: its checksum field matches the sum of its bytes (all tar formats have it). */
function isTarHeader(block: Buffer): boolean {
  if (block.byteLength < TAR_BLOCK) return false;
  const declared = Number.parseInt(
    block
      .subarray(148, 156)
      .toString('latin1')
      .replace(/[\0 ]+$/, '')
      .trim(),
    8,
  );
  let sum = 0;
  for (const [index, byte] of block.subarray(0, TAR_BLOCK).entries()) {
    sum += index >= 148 && index < 156 ? 0x20 : byte;
  }
  return declared === sum;
}

function corrupt(cause: unknown): BadRequestError {
  return new BadRequestError(Messages.attachmentCorrupt, { code: 'EBADATTACHMENT', cause });
}
