import { abbreviate } from './abbreviate.ts';
import { absoluteUrl } from './tarballPath.ts';
import type { Packument, PackumentForm, VersionManifest } from './types.ts';

/** A version as served: its stored relative tarball and attestations paths turned into URLs under `baseUrl`. */
export function renderVersion(manifest: VersionManifest, baseUrl: string): VersionManifest {
  const { dist } = manifest;
  const attestations = dist.attestations && {
    ...dist.attestations,
    url: absoluteUrl(dist.attestations.url, baseUrl),
  };
  return {
    ...manifest,
    dist: { ...dist, tarball: absoluteUrl(dist.tarball, baseUrl), ...(attestations && { attestations }) },
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
