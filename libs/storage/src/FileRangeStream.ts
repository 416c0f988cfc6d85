import { read } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * The bytes `start`..`end` (inclusive) of an open file, as a stream that closes the file when it
 * ends or is destroyed. The size is known from `stat`, so each read fills a buffer of exactly the
 * bytes left (at most `chunkBytes`): unlike `createReadStream`, no short last read is copied into
 * a smaller buffer and no extra read looks for the end, and reads are plain callbacks on the
 * descriptor rather than promises. A 1 MB tarball costs about a third less CPU this way.
 */
export class FileRangeStream extends Readable {
  readonly #handle: FileHandle;
  readonly #end: number;
  readonly #chunkBytes: number;
  #position: number;
  /** A read is in flight: closing now could let it read whatever file reuses the descriptor. */
  #reading = false;
  #closeAfterRead: (() => void) | undefined;

  constructor(handle: FileHandle, start: number, end: number, chunkBytes: number) {
    super();
    this.#handle = handle;
    this.#position = start;
    this.#end = end + 1;
    this.#chunkBytes = chunkBytes;
  }

  override _read(): void {
    const length = Math.min(this.#chunkBytes, this.#end - this.#position);
    if (length <= 0) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafeSlow(length);
    this.#reading = true;
    read(this.#handle.fd, buffer, 0, length, this.#position, (error, bytesRead) => {
      this.#reading = false;
      if (this.#closeAfterRead !== undefined) {
        this.#closeAfterRead();
        return;
      }
      if (error !== null) {
        this.destroy(error);
        return;
      }
      if (bytesRead === 0) {
        this.destroy(new Error(`the file ended ${this.#end - this.#position} bytes early`));
        return;
      }
      this.#position += bytesRead;
      this.push(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
      if (this.#position >= this.#end) this.push(null);
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const close = () => {
      this.#closeAfterRead = undefined;
      this.#handle.close().then(
        () => callback(error),
        (closeError: Error) => callback(error ?? closeError),
      );
    };
    if (this.#reading) this.#closeAfterRead = close;
    else close();
  }
}
