import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '@myorg/utilities';
import type { Manifest } from '../registry/types.ts';
import { dependencyLevels } from './dependencyLevels.ts';
import type { PackageToPublish } from './types.ts';

/** A package.json on disk, before anything checked that it has a name and a version. */
type LocalManifest = Partial<Manifest> & {
  private?: boolean;
  main?: string;
  module?: string;
  types?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

export interface DiscoveredPackage extends PackageToPublish {
  dependencies: string[];
  /** Entry files the manifest names that do not exist yet: the package has not been built. */
  missingFiles: string[];
}

/**
 * The package in `dir` when it is publishable: a package.json with a name (in `scope`, when
 * given) and a version, not private. Undefined otherwise.
 */
export function readPublishable(dir: string, scope?: string): DiscoveredPackage | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  const manifest = parseJson<LocalManifest>(readFileSync(file, 'utf8'), file);
  const { name, version } = manifest;
  if (manifest.private || !name || !version) return undefined;
  if (scope !== undefined && !name.startsWith(`${scope}/`)) return undefined;
  const dependencies = Object.keys({
    ...manifest.dependencies,
    ...manifest.peerDependencies,
    ...manifest.optionalDependencies,
  });
  const entries = new Set(
    [manifest.main, manifest.module, manifest.types].filter((path) => path !== undefined),
  );
  const missingFiles = [...entries].filter((path) => !existsSync(join(dir, path)));
  return { name, version, dir, dependencies, missingFiles };
}

/**
 * The publishable packages of the scope under `libsDir` (one per folder), in dependency order:
 * each after the packages it depends on, by name otherwise.
 */
export function discoverPackages(libsDir: string, scope: string): DiscoveredPackage[] {
  const found = readdirSync(libsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => readPublishable(join(libsDir, entry.name), scope))
    .filter((pkg) => pkg !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
  return dependencyLevels(found).flat();
}
