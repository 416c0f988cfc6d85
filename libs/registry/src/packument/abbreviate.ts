import type { AbbreviatedManifest, AbbreviatedPackument, Packument, VersionManifest } from './types.ts';

/** The version fields an install needs: what npm, pnpm and yarn read from the abbreviated form. */
const installFields = [
  'deprecated',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  // The older spelling of the same field; clients read either.
  'bundledDependencies',
  'bin',
  'directories',
  'engines',
  'cpu',
  'os',
  'libc',
  'funding',
  '_hasShrinkwrap',
  'hasInstallScript',
] as const;

/** The install-only ("corgi") form of a packument: no readme, no `time`, no publisher details. */
export function abbreviate(
  packument: Packument,
  mapVersion: (manifest: VersionManifest) => VersionManifest = (manifest) => manifest,
): AbbreviatedPackument {
  const versions: Record<string, AbbreviatedManifest> = {};
  for (const [version, stored] of Object.entries(packument.versions)) {
    const manifest = mapVersion(stored);
    const picked: Record<string, unknown> = {};
    for (const field of installFields) {
      const value = manifest[field];
      if (value !== undefined) picked[field] = value;
    }
    versions[version] = { name: manifest.name, version: manifest.version, ...picked, dist: manifest.dist };
  }
  return {
    name: packument.name,
    'dist-tags': packument['dist-tags'],
    versions,
    modified: packument.time.modified,
  };
}
