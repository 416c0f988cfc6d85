import { isDeepStrictEqual } from 'node:util';
import { touchModified } from '@myorg/date';
import { BadRequestError } from '@myorg/error';
import { isPlainObject } from '@myorg/utilities';
import type { AccessAction } from '../access/AccessPolicy.ts';
import { Messages } from '../messages.ts';
import { highestVersion } from '../packument/highestVersion.ts';
import { hoistLatestFields } from '../packument/hoistLatestFields.ts';
import { nextRevision } from '../packument/nextRevision.ts';
import type { Packument, VersionManifest } from '../packument/types.ts';
import { changeMaintainers, isOwnerChange, maintainerList } from './changeMaintainers.ts';

export interface PackageChange {
  /** The packument to store; the same object as `current` when nothing changed. */
  packument: Packument;
  /** Versions the change unpublished: their tarballs can go. */
  removed: string[];
}

/**
 * What a packument sent back asks for, as `applyPackageChange` tells it apart, for the access
 * policy to decide on before the change is applied (a malformed body is refused by the change).
 */
export function changeAction(
  current: Packument | undefined,
  body: unknown,
  options: { allowRemoval: boolean },
): Extract<AccessAction, 'owner' | 'unpublish' | 'deprecate'> {
  if (!isPlainObject(body)) return 'deprecate';
  if (isOwnerChange(body)) return 'owner';
  const sent = body.versions;
  const removes =
    options.allowRemoval &&
    isPlainObject(sent) &&
    Object.keys(current?.versions ?? {}).some((version) => !Object.hasOwn(sent, version));
  return removes ? 'unpublish' : 'deprecate';
}

function refuse(message: string): BadRequestError {
  return new BadRequestError(message, { code: 'EBADCHANGE' });
}

/**
 * Reads what a client changed in a packument it sent back whole (`npm deprecate`, `npm unpublish
 * pkg@1.0.0`) and applies only that, recognised from the document itself rather than from headers:
 *
 * - versions missing from the body are unpublished when `allowRemoval` (`PUT /:pkg/-rev/:rev`,
 *   whose revision proves the client saw them); their tags go, and `latest` moves to the highest
 *   remaining version. Without it (`PUT /:pkg`) they are left alone: a publish may have landed
 *   since the client read the document;
 * - otherwise only `deprecated` may differ per version (`""` or absent: not deprecated);
 * - a body with `maintainers` and no `versions` (`npm owner add|rm`) replaces the maintainers.
 *
 * Any other edit is refused, so a client can never rewrite a manifest, a hash or a tarball path.
 */
export function applyPackageChange(
  current: Packument,
  body: unknown,
  now: Date,
  options: { allowRemoval: boolean },
): PackageChange {
  if (!isPlainObject(body)) throw refuse(Messages.bodyMustBeObject);
  if (body.name !== undefined && body.name !== current.name) {
    throw refuse(Messages.nameMismatch(current.name, body.name));
  }
  const action = changeAction(current, body, options);
  if (action === 'owner') {
    return { packument: changeMaintainers(current, maintainerList(body.maintainers), now), removed: [] };
  }
  const sent = body.versions;
  if (!isPlainObject(sent)) throw refuse(Messages.unsupportedChange);
  for (const version of Object.keys(sent)) {
    if (!Object.hasOwn(current.versions, version)) throw refuse(Messages.unknownVersionInChange(version));
  }
  if (action === 'unpublish') {
    const missing = Object.keys(current.versions).filter((version) => !Object.hasOwn(sent, version));
    if (missing.length === Object.keys(current.versions).length) throw refuse(Messages.lastVersion);
    return { packument: removeVersions(current, missing, now), removed: missing };
  }
  const deprecated = deprecations(current, sent);
  if (deprecated.size === 0) return { packument: current, removed: [] };
  const versions = { ...current.versions };
  for (const [version, { manifest, message }] of deprecated) {
    const { deprecated: _previous, ...rest } = manifest;
    versions[version] = message === '' ? rest : { ...rest, deprecated: message };
  }
  return {
    packument: {
      ...current,
      _rev: nextRevision(current._rev),
      versions,
      time: touchModified(current.time, now),
    },
    removed: [],
  };
}

/** The versions whose deprecation message changes, with their manifest and the new message (`""` to undeprecate). */
function deprecations(
  current: Packument,
  sent: Record<string, unknown>,
): Map<string, { manifest: VersionManifest; message: string }> {
  const changed = new Map<string, { manifest: VersionManifest; message: string }>();
  for (const [version, stored] of Object.entries(current.versions)) {
    if (!Object.hasOwn(sent, version)) continue;
    const incoming = sent[version];
    if (!isPlainObject(incoming)) throw refuse(Messages.manifestMustBeObject);
    const message = incoming.deprecated ?? '';
    if (typeof message !== 'string') throw refuse(Messages.deprecatedMustBeString(version));
    if (!isDeepStrictEqual(comparable(stored), comparable(incoming)))
      throw refuse(Messages.unsupportedChange);
    if (message !== (stored.deprecated ?? '')) changed.set(version, { manifest: stored, message });
  }
  return changed;
}

/**
 * A manifest without what may legitimately differ between the stored copy and the one a client
 * sends back: `deprecated` (the change itself) and `dist.tarball` (served absolute, stored relative).
 */
function comparable(manifest: Record<string, unknown>): Record<string, unknown> {
  const { deprecated: _deprecated, dist, ...rest } = manifest;
  if (!isPlainObject(dist)) return rest;
  const { tarball: _tarball, ...distRest } = dist;
  return { ...rest, dist: distRest };
}

function removeVersions(current: Packument, removed: readonly string[], now: Date): Packument {
  const versions = { ...current.versions };
  for (const version of removed) delete versions[version];
  const distTags: Record<string, string> = {};
  for (const [tag, version] of Object.entries(current['dist-tags'])) {
    if (Object.hasOwn(versions, version)) distTags[tag] = version;
  }
  // Callers never remove every version, so a highest one remains.
  const highest = highestVersion(Object.keys(versions));
  if (highest !== undefined) distTags.latest ??= highest;
  return hoistLatestFields({
    ...current,
    _rev: nextRevision(current._rev),
    'dist-tags': distTags,
    versions,
    // Unpublished versions stay in `time`, so they can never be published again.
    time: touchModified(current.time, now),
  });
}
