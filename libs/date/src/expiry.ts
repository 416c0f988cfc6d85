import { parseDuration } from './duration.ts';
import { type DateInput, toDate } from './toDate.ts';

/** The moment `duration` (see `parseDuration`) after `from`: a token's or cache entry's expiry. */
export function expiresAt(from: DateInput, duration: string | number): Date {
  return new Date(toDate(from).getTime() + parseDuration(duration));
}

/**
 * Whether `expiresAt` has been reached at `now` (the expiry moment itself counts as expired).
 * `skewMs` shifts the check: a positive value treats the date as passing that much early, e.g. to
 * renew a cached credential before it lapses; a negative value grants a grace period, e.g. for
 * tokens stamped by a host whose clock runs behind. An invalid date throws a RangeError rather than
 * quietly counting as valid.
 */
export function isExpired(expiresAt: DateInput, now: DateInput = new Date(), skewMs = 0): boolean {
  // A NaN skew would make every comparison false, i.e. nothing would ever expire.
  if (!Number.isFinite(skewMs))
    throw new RangeError(`clock skew must be a finite number of ms, got ${skewMs}`);
  return toDate(now).getTime() + skewMs >= toDate(expiresAt).getTime();
}

/**
 * Whole seconds from `now` until `date`, rounded down, negative once it has passed; suits
 * `Cache-Control: max-age` and token `expires_in`, which must never overstate what is left.
 */
export function secondsUntil(date: DateInput, now: DateInput = new Date()): number {
  return Math.floor((toDate(date).getTime() - toDate(now).getTime()) / 1000);
}
