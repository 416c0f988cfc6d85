import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { RESERVED_SEGMENT_PREFIX } from './assertValidKey.ts';

/**
 * Whether names in `dir` that differ only in case reach the same file (the default on macOS and
 * Windows). Creates `dir` if needed and probes it with a short-lived file.
 */
export async function isCaseInsensitive(dir: string): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  const name = `${RESERVED_SEGMENT_PREFIX}case-probe-${randomBytes(6).toString('hex')}`;
  const probe = path.join(dir, name);
  await (await open(probe, 'wx')).close();
  try {
    await stat(path.join(dir, name.toUpperCase()));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  } finally {
    await rm(probe, { force: true });
  }
}
