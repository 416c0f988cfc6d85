import { isDeepStrictEqual } from 'node:util';
import { touchModified } from '@myorg/date';
import { BadRequestError } from '@myorg/error';
import { isPlainObject } from '@myorg/utilities';
import { Messages } from '../messages.ts';
import { nextRevision } from '../packument/nextRevision.ts';
import type { Packument, Person } from '../packument/types.ts';

/** Whether a packument sent back changes the owners: `npm owner add|rm` sends `maintainers` and no `versions`. */
export function isOwnerChange(body: Record<string, unknown>): boolean {
  return body.versions === undefined && body.maintainers !== undefined;
}

/** The maintainers an owner change asks for, or undefined when the body changes something else. */
export function requestedMaintainers(body: Record<string, unknown>): Person[] | undefined {
  return isOwnerChange(body) ? maintainerList(body.maintainers) : undefined;
}

/** The `maintainers` of an owner change, each name once; 400 for a malformed list. */
export function maintainerList(sent: unknown): Person[] {
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
