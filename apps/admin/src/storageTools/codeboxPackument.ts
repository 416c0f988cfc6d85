import { createTime, recordVersionTime, touchModified } from '@myorg/date';
import {
  highestVersion,
  hoistLatestFields,
  nextRevision,
  type Packument,
  tarballPath,
  type VersionManifest,
  wasPublished,
} from '@myorg/registry';
import { integrityMatches, integrityOf, isPlainObject, sha1Hex } from '@myorg/utilities';
import { isValidVersion } from '@myorg/validation';
import { StorageMessages } from './messages.ts';

/** A version of a codebox-npm packument that passed every check, ready to store. */
export interface CheckedVersion {
  version: string;
  manifest: VersionManifest;
  /** When codebox recorded its publish (`time[version]`), if it did. */
  publishedAt: string | undefined;
}

/** The codebox document's fields the import takes over (everything else is left behind). */
export interface CodeboxDocument {
  name: string;
  versions: Record<string, unknown>;
  distTags: Record<string, unknown>;
  time: Record<string, unknown>;
  maintainers: unknown;
  readme: unknown;
}

/** The parts of `index.json` the import reads, or the reason it cannot be imported at all. */
export function readCodeboxDocument(name: string, bytes: Buffer): CodeboxDocument | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return StorageMessages.indexNotJson;
  }
  if (!isPlainObject(parsed)) return StorageMessages.indexNotObject;
  if (parsed.name !== name) return StorageMessages.indexNamesOther(parsed.name);
  if (!isPlainObject(parsed.versions)) return StorageMessages.indexWithoutVersions;
  return {
    name,
    versions: parsed.versions,
    distTags: isPlainObject(parsed['dist-tags']) ? parsed['dist-tags'] : {},
    time: isPlainObject(parsed.time) ? parsed.time : {},
    maintainers: parsed.maintainers,
    readme: parsed.readme,
  };
}

/** Why a version's manifest cannot be imported, before its tarball is read; undefined when it can. */
export function manifestProblem(name: string, version: string, manifest: unknown): string | undefined {
  if (!isValidVersion(version)) return StorageMessages.invalidVersion;
  if (!isPlainObject(manifest)) return StorageMessages.manifestNotObject;
  if (manifest.name !== name || manifest.version !== version) return StorageMessages.manifestMismatch;
  const dist = manifest.dist;
  if (!isPlainObject(dist) || (typeof dist.shasum !== 'string' && typeof dist.integrity !== 'string'))
    return StorageMessages.distWithoutHashes;
  return undefined;
}

/**
 * The manifest as the registry stores it, once the tarball matched what codebox recorded: the
 * hashes checked (a sha512 integrity added where codebox had none) and the tarball path relative,
 * so the document never names codebox's host. A string: the reason the tarball was refused.
 */
export function checkedManifest(
  name: string,
  version: string,
  manifest: Record<string, unknown> & { dist: Record<string, unknown> },
  tarball: Buffer,
): VersionManifest | string {
  const shasum = sha1Hex(tarball);
  const { dist } = manifest;
  if (typeof dist.shasum === 'string' && dist.shasum.toLowerCase() !== shasum)
    return StorageMessages.shasumMismatch;
  if (typeof dist.integrity === 'string' && !integrityMatches(tarball, dist.integrity))
    return StorageMessages.integrityMismatch;
  const integrity =
    typeof dist.integrity === 'string' && /(?:^|\s)sha512-/.test(dist.integrity)
      ? dist.integrity
      : integrityOf(tarball);
  return {
    ...manifest,
    _id: `${name}@${version}`,
    name,
    version,
    dist: { ...dist, shasum, integrity, tarball: tarballPath(name, version) },
  } as VersionManifest;
}

function validDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The packument with the checked versions (at least one) that it does not have yet, dated as
 * codebox dated them; `current` itself when there are none (nothing to write). Tags come from codebox where
 * they point at a stored version, the package's own tags win, and `latest` falls back to the
 * highest version, as a publish leaves it.
 */
export function mergeCodeboxVersions(
  current: Packument | undefined,
  source: CodeboxDocument,
  checked: readonly CheckedVersion[],
  now: Date,
): Packument {
  const added = checked.filter(({ version }) => !wasPublished(current, version));
  if (added.length === 0 && current !== undefined) return current;
  const created = validDate(source.time.created) ?? now.toISOString();
  let time = current?.time ?? createTime(created);
  const versions = { ...current?.versions };
  for (const { version, manifest, publishedAt } of added) {
    versions[version] = manifest;
    time = recordVersionTime(time, version, publishedAt ?? now);
  }
  time = touchModified(time, validDate(source.time.modified) ?? time.modified);
  const distTags: Record<string, string> = {};
  for (const [tag, version] of Object.entries(source.distTags)) {
    if (typeof version === 'string' && Object.hasOwn(versions, version)) distTags[tag] = version;
  }
  Object.assign(distTags, current?.['dist-tags']);
  distTags.latest ??= highestVersion(Object.keys(versions)) ?? '';
  const packument: Packument = {
    ...current,
    _id: source.name,
    _rev: nextRevision(current?._rev),
    name: source.name,
    'dist-tags': distTags,
    versions,
    time,
  };
  if (current?.maintainers === undefined && Array.isArray(source.maintainers))
    packument.maintainers = source.maintainers;
  if (current?.readme === undefined && typeof source.readme === 'string') packument.readme = source.readme;
  return hoistLatestFields(packument);
}
