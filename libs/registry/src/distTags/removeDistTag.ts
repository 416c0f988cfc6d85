import { touchModified } from '@myorg/date';
import { BadRequestError, NotFoundError } from '@myorg/error';
import { assertDistTag } from '@myorg/validation';
import { Messages } from '../messages.ts';
import { nextRevision } from '../packument/nextRevision.ts';
import type { Packument } from '../packument/types.ts';

/** The packument without `tag`. `latest` cannot go: every package keeps one. */
export function removeDistTag(current: Packument, tag: string, now: Date): Packument {
  assertDistTag(tag);
  if (tag === 'latest') throw new BadRequestError(Messages.latestCannotBeDeleted, { code: 'EBADTAG' });
  if (!Object.hasOwn(current['dist-tags'], tag)) throw new NotFoundError(Messages.noSuchTag(tag));
  const { [tag]: _removed, ...distTags } = current['dist-tags'];
  return {
    ...current,
    _rev: nextRevision(current._rev),
    'dist-tags': distTags,
    time: touchModified(current.time, now),
  };
}
