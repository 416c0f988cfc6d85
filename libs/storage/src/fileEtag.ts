import type { BigIntStats } from 'node:fs';

/**
 * The etag of a stored file, read from `stat` alone: inode, size and modification time in
 * nanoseconds. Each write makes a new inode, but inode numbers are reused once freed, so the
 * modification time must also differ between writes: `nextWriteTime` provides that.
 */
export function fileEtag(stats: BigIntStats): string {
  return `"${stats.ino.toString(16)}-${stats.size.toString(16)}-${stats.mtimeNs.toString(16)}"`;
}

let lastWriteMicros = 0;

/**
 * A modification time (in seconds, for `utimes`) strictly later than any this process handed out
 * before, one microsecond apart at least, so two writes of the same size in the same clock tick
 * into a reused inode still get different etags. Microseconds survive the double `utimes` takes.
 */
export function nextWriteTime(): number {
  lastWriteMicros = Math.max(Date.now() * 1000, lastWriteMicros + 1);
  return lastWriteMicros / 1e6;
}
