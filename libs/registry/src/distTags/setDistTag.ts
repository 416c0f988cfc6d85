import { touchModified } from '@myorg/date';
import { BadRequestError } from '@myorg/error';
import { assertDistTag } from '@myorg/validation';
import { Messages } from '../messages.ts';
import { hoistLatestFields } from '../packument/hoistLatestFields.ts';
import { nextRevision } from '../packument/nextRevision.ts';
import type { Packument } from '../packument/types.ts';

/** The packument with `tag` pointing at `version`, which must be published; unchanged if it already does. */
export function setDistTag(current: Packument, tag: string, version: unknown, now: Date): Packument {
  assertDistTag(tag);
  if (typeof version !== 'string')
    throw new BadRequestError(Messages.tagBodyMustBeVersion, { code: 'EBADTAG' });
  if (!Object.hasOwn(current.versions, version)) {
    throw new BadRequestError(Messages.tagVersionMissing(current.name, version), { code: 'EBADTAG' });
  }
  if (current['dist-tags'][tag] === version) return current;
  return hoistLatestFields({
    ...current,
    _rev: nextRevision(current._rev),
    'dist-tags': { ...current['dist-tags'], [tag]: version },
    time: touchModified(current.time, now),
  });
}
