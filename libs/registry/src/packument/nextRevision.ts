import { randomBytes } from 'node:crypto';

/**
 * The revision after `current` (`3-ab12…` → `4-…`), or the first one. The counter orders
 * revisions for people; the random part makes two writes that raced to the same count differ.
 */
export function nextRevision(current: string | undefined): string {
  const count = current === undefined ? 0 : Number.parseInt(current, 10);
  return `${Number.isSafeInteger(count) ? count + 1 : 1}-${randomBytes(16).toString('hex')}`;
}
