import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh temp folder, removed when the current test finishes. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'services-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A package folder: its package.json (entry `dist/index.js` unless the manifest names others) and,
 * unless `built` is false, that entry file.
 */
export async function writePackage(
  dir: string,
  manifest: Record<string, unknown>,
  options: { built?: boolean } = {},
): Promise<string> {
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ main: './dist/index.js', files: ['dist'], ...manifest }),
  );
  if (options.built !== false) await writeFile(join(dir, 'dist/index.js'), 'module.exports = 1;\n');
  return dir;
}
