import { isPlainObject } from '@myorg/utilities';
import { isValidVersion } from '@myorg/validation';
import { abbreviate } from '../packument/abbreviate.ts';
import { renderVersion } from '../packument/renderPackument.ts';
import { attestationsPath, tarballPath } from '../packument/tarballPath.ts';
import type { Packument, PackumentForm, VersionManifest } from '../packument/types.ts';

/**
 * A package document as the upstream sent it, in either form: only the fields the proxy relies on
 * are checked; the rest is relayed as it came.
 */
export interface UpstreamDocument {
  name: string;
  'dist-tags': Record<string, unknown>;
  versions: Record<string, unknown>;
  [field: string]: unknown;
}

/** `value` as the document of `name`, or undefined when it is not one (wrong name, no versions map). */
export function asUpstreamDocument(value: unknown, name: string): UpstreamDocument | undefined {
  if (!isPlainObject(value) || value.name !== name) return undefined;
  if (!isPlainObject(value.versions) || !isPlainObject(value['dist-tags'])) return undefined;
  return value as UpstreamDocument;
}

/**
 * The manifest of `version` when it can be served through this registry: a valid version with a
 * `dist` naming its tarball. Others are left out of what clients see, as nothing could fetch them.
 */
export function upstreamVersion(document: UpstreamDocument, version: string): VersionManifest | undefined {
  if (!Object.hasOwn(document.versions, version) || !isValidVersion(version)) return undefined;
  const manifest = document.versions[version];
  if (!isPlainObject(manifest) || !isPlainObject(manifest.dist)) return undefined;
  if (typeof manifest.dist.tarball !== 'string') return undefined;
  // Name and version come from where the manifest sits, so a tarball path can always be built.
  return { ...manifest, name: document.name, version } as VersionManifest;
}

/** The version a version or dist-tag `spec` names, if it can be served. */
export function resolveUpstreamVersion(
  document: UpstreamDocument,
  spec: string,
): VersionManifest | undefined {
  const tagged = Object.hasOwn(document['dist-tags'], spec) ? document['dist-tags'][spec] : undefined;
  return upstreamVersion(document, typeof tagged === 'string' ? tagged : spec);
}

/**
 * A version as served from here: its tarball and attestations URLs point at this registry, never
 * at the upstream. `dist.signatures` stay as they came: npm's registry signs
 * `<name>@<version>:<integrity>`, not the URL, so they verify through the proxy.
 */
export function localisedVersion(manifest: VersionManifest, baseUrl: string): VersionManifest {
  const { name, version, dist } = manifest;
  // npm fetches attestations from the path of this URL on the registry it installs from.
  const attestations = isPlainObject(dist.attestations)
    ? { ...dist.attestations, url: attestationsPath(name, version) }
    : undefined;
  const relative = { ...dist, tarball: tarballPath(name, version), ...(attestations && { attestations }) };
  return renderVersion({ ...manifest, dist: relative }, baseUrl);
}

/** The document as served at `baseUrl`: every servable version, each with a tarball URL of this registry. */
export function localisedDocument(document: UpstreamDocument, baseUrl: string): UpstreamDocument {
  const versions: Record<string, VersionManifest> = {};
  for (const version of Object.keys(document.versions)) {
    const manifest = upstreamVersion(document, version);
    if (manifest !== undefined) versions[version] = localisedVersion(manifest, baseUrl);
  }
  return { ...document, versions };
}

/**
 * What a request for `form` is served from a `held` document (the form the upstream sent) at
 * `baseUrl`. A full document serves the abbreviated form by abbreviating it as local packages are;
 * an abbreviated document is served as it is in either form.
 */
export function servedDocument(
  document: UpstreamDocument,
  held: PackumentForm,
  form: PackumentForm,
  baseUrl: string,
): object {
  const localised = localisedDocument(document, baseUrl);
  if (form === 'full' || held === 'abbreviated') return localised;
  // Only `versions` (made servable above), `dist-tags`, `name` and `time.modified` are read, and
  // the upstream may send no `time`.
  const time = isPlainObject(localised.time) ? localised.time : {};
  return abbreviate({ ...localised, time } as unknown as Packument);
}
