import { isDeepStrictEqual } from 'node:util';
import { touchModified } from '@myorg/date';
import { BadRequestError } from '@myorg/error';
import { isPlainObject } from '@myorg/utilities';
import { Messages } from '../messages.ts';
import { nextRevision } from '../packument/nextRevision.ts';
import type { Packument, Person } from '../packument/types.ts';

/**
 * The maintainers a packument sent back asks for (`npm owner add|rm` sends `maintainers` and no
 * `versions`), or undefined when the body changes something else. 400 for a malformed list.
 */
export function requestedMaintainers(body: Record<string, unknown>): Person[] | undefined {
  if (body.versions !== undefined || body.maintainers === undefined) return undefined;
  const sent = body.maintainers;
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
  return [...maintainers.values()];
}

/** The packument with `maintainers` replaced; unchanged when they are the same. */
export function changeMaintainers(current: Packument, maintainers: Person[], now: Date): Packument {
  if (isDeepStrictEqual(maintainers, current.maintainers ?? [])) return current;
  return {
    ...current,
    _rev: nextRevision(current._rev),
    maintainers,
    time: touchModified(current.time, now),
  };
}
