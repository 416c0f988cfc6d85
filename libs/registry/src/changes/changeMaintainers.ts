import { isDeepStrictEqual } from 'node:util';
import { touchModified } from '@myorg/date';
import { BadRequestError } from '@myorg/error';
import { isPlainObject } from '@myorg/utilities';
import { Messages } from '../messages.ts';
import { nextRevision } from '../packument/nextRevision.ts';
import type { Packument, Person } from '../packument/types.ts';

/** `npm owner add|rm`: the packument with `maintainers` replaced; unchanged when they are the same. */
export function changeMaintainers(current: Packument, sent: unknown, now: Date): Packument {
  if (!Array.isArray(sent) || sent.length === 0)
    throw new BadRequestError(Messages.maintainersInvalid, { code: 'EBADCHANGE' });
  const maintainers = new Map<string, Person>();
  for (const entry of sent) {
    if (!isPlainObject(entry) || typeof entry.name !== 'string' || entry.name === '') {
      throw new BadRequestError(Messages.maintainersInvalid, { code: 'EBADCHANGE' });
    }
    const email = typeof entry.email === 'string' ? entry.email : '';
    maintainers.set(entry.name, { name: entry.name, email });
  }
  const next = [...maintainers.values()];
  if (isDeepStrictEqual(next, current.maintainers ?? [])) return current;
  return {
    ...current,
    _rev: nextRevision(current._rev),
    maintainers: next,
    time: touchModified(current.time, now),
  };
}
