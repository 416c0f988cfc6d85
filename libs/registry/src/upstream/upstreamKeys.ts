import type { PackumentForm } from '../packument/types.ts';

/**
 * Where the proxy keeps what it fetched, apart from the registry's own packages (see README
 * "Upstream proxy"), so nothing fetched can ever be mistaken for something published here:
 *
 * - `upstream/packuments/<name>/packument.json`: the upstream's document as received, in the form
 *   it was fetched in, with that form and the ETag to revalidate it;
 * - `upstream/tarballs/<name>/<version>/<digest>.tgz`: verified tarball bytes, addressed by the
 *   hex digest they were verified against.
 */
export const UPSTREAM_PREFIX = 'upstream/';

export function upstreamPackumentKey(name: string): string {
  return `${UPSTREAM_PREFIX}packuments/${name}/packument.json`;
}

/** Where earlier versions kept each form apart (`.../full.json`, `.../abbreviated.json`): still read. */
export function legacyUpstreamPackumentKey(name: string, form: PackumentForm): string {
  return `${UPSTREAM_PREFIX}packuments/${name}/${form}.json`;
}

export function upstreamTarballKey(name: string, version: string, digestHex: string): string {
  return `${UPSTREAM_PREFIX}tarballs/${name}/${version}/${digestHex}.tgz`;
}
