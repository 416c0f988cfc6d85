import { abbreviate } from './abbreviate.ts';
import { absoluteTarballUrl } from './tarballPath.ts';
import type { Packument, PackumentForm, VersionManifest } from './types.ts';

/** A version as served: its stored relative tarball path turned into a URL under `baseUrl`. */
export function renderVersion(manifest: VersionManifest, baseUrl: string): VersionManifest {
  return {
    ...manifest,
    dist: { ...manifest.dist, tarball: absoluteTarballUrl(manifest.dist.tarball, baseUrl) },
  };
}

/** The document served for `form` at `baseUrl`, ready for JSON.stringify. */
export function renderPackument(packument: Packument, form: PackumentForm, baseUrl: string): object {
  const toUrl = (manifest: VersionManifest) => renderVersion(manifest, baseUrl);
  if (form === 'abbreviated') return abbreviate(packument, toUrl);
  const versions: Record<string, VersionManifest> = {};
  for (const [version, manifest] of Object.entries(packument.versions)) versions[version] = toUrl(manifest);
  return { ...packument, versions };
}
