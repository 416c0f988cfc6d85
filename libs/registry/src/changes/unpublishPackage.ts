import { touchModified } from '@myorg/date';
import { hoistLatestFields } from '../packument/hoistLatestFields.ts';
import { nextRevision } from '../packument/nextRevision.ts';
import type { Packument } from '../packument/types.ts';

/**
 * The packument after `npm unpublish <pkg>`: no versions and no tags, served as 404, while `time`
 * keeps every version that was ever published so none of them can come back with other content.
 */
export function unpublishPackage(current: Packument, now: Date): Packument {
  const { readme: _readme, ...rest } = current;
  return hoistLatestFields({
    ...rest,
    _rev: nextRevision(current._rev),
    'dist-tags': {},
    versions: {},
    time: touchModified(current.time, now),
  });
}
