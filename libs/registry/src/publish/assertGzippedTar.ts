import { createGunzip } from 'node:zlib';
import { BadRequestError, isAppError } from '@myorg/error';
import { Messages } from '../messages.ts';

/** More than npm packages unpack to; a tarball beyond it is a decompression bomb, not a package. */
export const MAX_UNPACKED_BYTES = 1024 ** 3;

/**
 * Refuses a tarball whose gzip stream is cut short or corrupt, or that holds no tar archive: it
 * would install nowhere. The
 * stream is inflated on the thread pool and thrown away as it goes, so a large tarball neither
 * blocks the event loop nor takes memory, and one that inflates beyond `maxUnpackedBytes` stops early.
 * zlib checks the trailer's CRC when the trailer is there, but a stream cut short simply ends, so
 * the trailer's length field (the last four bytes) is compared with what came out.
 */
export async function assertGzippedTar(
  bytes: Uint8Array,
  maxUnpackedBytes = MAX_UNPACKED_BYTES,
): Promise<void> {
  const gunzip = createGunzip();
  gunzip.end(bytes);
  let unpacked = 0;
  const head: Buffer[] = [];
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (unpacked < TAR_BLOCK) head.push(chunk);
      unpacked += chunk.byteLength;
      if (unpacked > maxUnpackedBytes) {
        throw new BadRequestError(Messages.attachmentTooLarge(maxUnpackedBytes), { code: 'EBADATTACHMENT' });
      }
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    throw corrupt(error);
  } finally {
    gunzip.destroy();
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.byteLength < 18 || view.readUInt32LE(view.byteLength - 4) !== unpacked % 2 ** 32)
    throw corrupt(undefined);
  if (!isTarHeader(Buffer.concat(head).subarray(0, TAR_BLOCK))) {
    throw new BadRequestError(Messages.attachmentNotTar, { code: 'EBADATTACHMENT' });
  }
}

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
