import { type DateInput, toIsoString } from './toDate.ts';

/**
 * A packument's `time` field: when the package was created and last modified, and when each version
 * was published, all as ISO strings.
 */
export type NpmTime = { created: string; modified: string; [version: string]: string };

/** Keys of `time` that are not versions, so no version may take their place. */
const reservedKeys = new Set(['created', 'modified', '__proto__']);

/** The `time` of a brand new packument: created and modified at `now`. */
export function createTime(now: DateInput = new Date()): NpmTime {
  const stamp = toIsoString(now);
  return { created: stamp, modified: stamp };
}

/**
 * A copy of `time` with `version` published at `now` and `modified` moved to `now`; `created` is
 * kept, or set to `now` for the first version of a new package. The input is never changed, so a
 * caller can still compare against the stored document before writing it back.
 */
export function recordVersionTime(
  time: NpmTime | undefined,
  version: string,
  now: DateInput = new Date(),
): NpmTime {
  if (reservedKeys.has(version)) throw new RangeError(`"${version}" cannot be used as a version in time`);
  const stamp = toIsoString(now);
  return { ...(time ?? createTime(now)), [version]: stamp, modified: stamp };
}

/** A copy of `time` with `modified` moved to `now` (a dist-tag or metadata change). */
export function touchModified(time: NpmTime | undefined, now: DateInput = new Date()): NpmTime {
  const stamp = toIsoString(now);
  return { ...(time ?? createTime(now)), modified: stamp };
}

/**
 * The version entries of `time` (everything but `created` and `modified`), oldest first. Entries that
 * are not valid dates are skipped: packuments mirrored from elsewhere are not ours to reject.
 */
export function versionTimes(time: NpmTime): { version: string; date: Date }[] {
  return Object.entries(time)
    .filter(([key]) => !reservedKeys.has(key))
    .map(([version, stamp]) => ({ version, date: new Date(stamp) }))
    .filter(({ date }) => !Number.isNaN(date.getTime()))
    .sort((a, b) => a.date.getTime() - b.date.getTime());
}
