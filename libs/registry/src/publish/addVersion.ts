import { createTime, recordVersionTime } from '@myorg/date';
import { ConflictError } from '@myorg/error';
import { Messages } from '../messages.ts';
import { hoistLatestFields } from '../packument/hoistLatestFields.ts';
import { nextRevision } from '../packument/nextRevision.ts';
import type { Packument, Person } from '../packument/types.ts';
import type { PublishRequest } from './parsePublishBody.ts';

/** Whether `version` was ever published: still listed, or unpublished but remembered in `time`. */
export function wasPublished(packument: Packument | undefined, version: string): boolean {
  return (
    packument !== undefined &&
    (Object.hasOwn(packument.versions, version) || Object.hasOwn(packument.time, version))
  );
}

/**
 * The packument with the published version added (a new one when `current` is undefined). A
 * version that exists, or existed before an unpublish, is refused with 409: versions are
 * immutable. The publish tag points at the new version; `latest` does too when the package has
 * no `latest` yet, since every package has one (npm's registry does the same).
 */
export function addVersion(
  current: Packument | undefined,
  request: PublishRequest,
  publisher: Person,
  now: Date,
): Packument {
  const { name, version, tag, manifest, readme } = request;
  if (wasPublished(current, version)) {
    throw new ConflictError(Messages.versionExists(version), { code: 'EPUBLISHCONFLICT' });
  }
  const base: Packument = current ?? {
    _id: name,
    _rev: '',
    name,
    'dist-tags': {},
    versions: {},
    time: createTime(now),
  };
  const distTags = { ...base['dist-tags'], [tag]: version };
  distTags.latest ??= version;
  const next: Packument = {
    ...base,
    _rev: nextRevision(current?._rev),
    'dist-tags': distTags,
    versions: { ...base.versions, [version]: { ...manifest, _npmUser: publisher } },
    time: recordVersionTime(current?.time, version, now),
    maintainers:
      base.maintainers !== undefined && base.maintainers.length > 0 ? base.maintainers : [publisher],
  };
  // The registry shows the readme of the most recent publish, as npm's does.
  if (readme !== undefined) next.readme = readme;
  return hoistLatestFields(next);
}
