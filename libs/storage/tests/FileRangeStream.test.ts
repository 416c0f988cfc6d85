import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileRangeStream } from '../src/FileRangeStream.ts';

async function collect(stream: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number[] }> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return { bytes: Buffer.concat(parts), chunks: parts.map((part) => part.byteLength) };
}

/** Whether the descriptor was closed: a closed FileHandle answers -1. */
function closedSoon(handle: { fd: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const check = (attempt: number) => {
      if (handle.fd === -1 || attempt > 100) resolve(handle.fd === -1);
      else setTimeout(() => check(attempt + 1), 5);
    };
    check(0);
  });
}

describe('FileRangeStream', () => {
  let dir: string;
  let file: string;
  const content = randomBytes(10_000);

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'storage-range-'));
    file = path.join(dir, 'object.bin');
    await writeFile(file, content);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true });
  });

  it('streams the whole file in chunks of exactly the bytes left, then closes it', async () => {
    // Prepare
    const handle = await open(file, 'r');

    // Act
    const { bytes, chunks } = await collect(new FileRangeStream(handle, 0, content.length - 1, 4096));

    // Assess
    expect(bytes.equals(content)).toBe(true);
    expect(chunks).toEqual([4096, 4096, content.length - 8192]);
    expect(await closedSoon(handle)).toBe(true);
  });

  it('streams an inclusive byte range', async () => {
    // Prepare
    const handle = await open(file, 'r');

    // Act
    const { bytes } = await collect(new FileRangeStream(handle, 100, 199, 64));

    // Assess
    expect(bytes.equals(content.subarray(100, 200))).toBe(true);
  });

  it('ends at once for an empty range', async () => {
    // Prepare
    const handle = await open(file, 'r');

    // Act
    const { bytes } = await collect(new FileRangeStream(handle, 0, -1, 64));

    // Assess
    expect(bytes.byteLength).toBe(0);
    expect(await closedSoon(handle)).toBe(true);
  });

  it('fails rather than ending short when the file shrank after it was measured', async () => {
    // Prepare
    const handle = await open(file, 'r');
    await truncate(file, 5000);

    // Act
    const failure = await collect(new FileRangeStream(handle, 0, content.length - 1, 4096)).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain('ended 5000 bytes early');
    expect(await closedSoon(handle)).toBe(true);
  });

  it('closes the file only after a read in flight when destroyed during it', async () => {
    // Prepare
    const handle = await open(file, 'r');
    const stream = new FileRangeStream(handle, 0, content.length - 1, 1024);
    const closed = new Promise((resolve) => stream.once('close', resolve));

    // Act: read(0) starts the first read at once, and it is still in flight when destroy comes.
    stream.read(0);
    stream.destroy();
    await closed;

    // Assess
    expect(stream.destroyed).toBe(true);
    expect(handle.fd).toBe(-1);
  });

  it('reports a failed read', async () => {
    // Prepare: a descriptor open for writing only cannot be read.
    const handle = await open(file, 'a');

    // Act
    const failure = await collect(new FileRangeStream(handle, 0, 9, 4)).catch((error: unknown) => error);

    // Assess
    expect((failure as NodeJS.ErrnoException).code).toBe('EBADF');
    expect(await closedSoon(handle)).toBe(true);
  });
});
