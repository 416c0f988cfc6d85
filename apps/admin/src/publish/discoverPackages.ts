import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackageToPublish } from '@myorg/nx-plugin/publishing';
import { parseJson } from '@myorg/utilities';

interface Manifest {
  name?: string;
  version?: string;
  private?: boolean;
  main?: string;
  module?: string;
  types?: string;
}

export interface DiscoveredPackage extends PackageToPublish {
  /** Entry files the manifest names that do not exist yet: the package has not been built. */
  missingFiles: string[];
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The publishable packages of the scope under `libsDir` (one per folder, private ones left out),
 * sorted by name, each with the entry files it still lacks.
 */
export async function discoverPackages(libsDir: string, scope: string): Promise<DiscoveredPackage[]> {
  const found: DiscoveredPackage[] = [];
  for (const entry of await readdir(libsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(libsDir, entry.name);
    const file = join(dir, 'package.json');
    if (!(await exists(file))) continue;
    const manifest = parseJson<Manifest>(await readFile(file, 'utf8'), file);
    if (manifest.private || !manifest.name?.startsWith(`${scope}/`) || !manifest.version) continue;
    const entries = [manifest.main, manifest.module, manifest.types].filter((path) => path !== undefined);
    const missingFiles: string[] = [];
    for (const path of new Set(entries)) if (!(await exists(join(dir, path)))) missingFiles.push(path);
    found.push({ name: manifest.name, version: manifest.version, dir, missingFiles });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
