import { isPlainObject } from '@myorg/utilities';
import semver from 'semver';

/** Why a version is not served: too young for the minimum release age, or on the block list. */
export type Refusal =
  /** `availableAt` (ms since the epoch) is undefined when the version has no readable release time. */
  { kind: 'young'; minAgeMs: number; availableAt: number | undefined } | { kind: 'blocked'; reason: string };

/** A packument as served, in either form: the fields the filter rewrites, the rest passed on. */
export interface ServedDocument {
  name: string;
  'dist-tags': Record<string, unknown>;
  versions: Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * `document` without the versions `refusalOf` refuses (both forms):
 *
 * - a dist-tag pointing at one falls back as `fallbackTag` says (or is dropped);
 * - `time` keeps `created`, `modified` and the served versions, and is added to the abbreviated
 *   form from `time` (the stored document's), so pnpm's own `minimumReleaseAge` keeps working;
 * - the refused versions are listed in `policyRestrictions` with `message(refused)`: npm (its
 *   npm-pick-manifest) resolves ranges past them, and fails an install that names one with
 *   E403 "Could not download … due to policy violations" and that message, instead of ETARGET.
 *
 * Unchanged (the same object) when nothing is refused and the `time` is already right.
 */
export function withholdVersions(
  document: ServedDocument,
  time: unknown,
  refusalOf: (version: string) => Refusal | undefined,
  message: (refused: ReadonlyMap<string, Refusal>) => string,
): ServedDocument {
  const versions: Record<string, unknown> = {};
  const refused = new Map<string, Refusal>();
  for (const [version, manifest] of Object.entries(document.versions)) {
    const refusal = refusalOf(version);
    if (refusal === undefined) versions[version] = manifest;
    else refused.set(version, refusal);
  }
  if (refused.size === 0 && isPlainObject(document.time)) return document;
  const times = isPlainObject(time) ? time : {};
  const keptTime: Record<string, unknown> = {};
  for (const field of ['created', 'modified'])
    if (Object.hasOwn(times, field)) keptTime[field] = times[field];
  for (const version of Object.keys(versions))
    if (Object.hasOwn(times, version)) keptTime[version] = times[version];

  const tags = servedTags(document['dist-tags'], Object.keys(versions), (version) => refused.has(version));
  const served: ServedDocument = { ...document, 'dist-tags': tags, versions, time: keptTime };
  if (refused.size > 0) {
    const restricted: Record<string, object> = {};
    for (const version of refused.keys()) restricted[version] = { name: document.name, version };
    served.policyRestrictions = { versions: restricted, message: message(refused) };
  }
  return served;
}

/**
 * Where dist-tag `tag`, pointing at the refused `target`, points instead: the highest of `kept`
 * by semver (never by date) that is not above `target`, and not a prerelease unless `target` is
 * one (`latest` always prefers a release). Undefined when no kept version is at or below it.
 */
export function fallbackTag(tag: string, target: string, kept: readonly string[]): string | undefined {
  const wantsRelease = tag === 'latest' || semver.prerelease(target, true) === null;
  let best: string | undefined;
  let bestRelease: string | undefined;
  for (const version of kept) {
    if (semver.compareLoose(version, target) > 0) continue;
    if (best === undefined || semver.compareLoose(version, best) > 0) best = version;
    const release = semver.prerelease(version, true) === null;
    if (release && (bestRelease === undefined || semver.compareLoose(version, bestRelease) > 0)) {
      bestRelease = version;
    }
  }
  return wantsRelease ? (bestRelease ?? best) : best;
}

/** `tags` with each one pointing at a refused version moved to its fallback (or dropped); `kept` are the versions served. */
export function servedTags(
  tags: Record<string, unknown>,
  kept: readonly string[],
  isRefused: (version: string) => boolean,
): Record<string, unknown> {
  const served: Record<string, unknown> = {};
  for (const [tag, target] of Object.entries(tags)) {
    if (typeof target !== 'string' || !isRefused(target)) served[tag] = target;
    else {
      const fallback = fallbackTag(tag, target, kept);
      if (fallback !== undefined) served[tag] = fallback;
    }
  }
  return served;
}
