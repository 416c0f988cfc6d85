import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every file and directory under `root`, by relative path, with a sha256 of each file's bytes:
 * two equal snapshots mean a request changed nothing in storage (no file added, removed,
 * rewritten or left behind half-written).
 */
export async function snapshotStorage(root: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(root, relative), { withFileTypes: true }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        snapshot[`${path}/`] = 'dir';
        await walk(path);
      } else {
        snapshot[path] = createHash('sha256')
          .update(await readFile(join(root, path)))
          .digest('hex');
      }
    }
  };
  await walk('');
  return Object.fromEntries(Object.entries(snapshot).sort(([a], [b]) => a.localeCompare(b)));
}
