import semver from 'semver';
import { quote } from './quote.ts';
import { isUrlSafe } from './urlSafe.ts';
import { ValidationError } from './ValidationError.ts';

/**
 * Returns `tag` when it is a valid dist-tag name, else throws a ValidationError (code
 * EINVALIDTAGNAME, as npm) listing every rule it breaks. A tag that parses as a semver range
 * (`1.x`, `^2`, `v1`, `x`) is refused as npm refuses it: `npm install pkg@1.x` could not tell the
 * tag from the range. Names of `Object.prototype` properties (`__proto__`, `constructor`) are refused
 * too: they would not survive as keys of the `dist-tags` object.
 */
export function assertDistTag(tag: unknown): string {
  const errors = distTagErrors(tag);
  if (errors.length > 0) {
    throw new ValidationError(errors, { subject: `invalid dist-tag ${quote(tag)}`, code: 'EINVALIDTAGNAME' });
  }
  return tag as string;
}

function distTagErrors(tag: unknown): string[] {
  if (typeof tag !== 'string') return ['Tag name must be a string'];
  if (tag.length === 0) return ['Tag name must not be empty'];
  const errors: string[] = [];
  if (!isUrlSafe(tag)) errors.push('Tag name can only contain URL-friendly characters (no slash or space)');
  // `.` and `..` are URL-safe but would be resolved away in /-/package/<name>/dist-tags/<tag>.
  if (tag === '.' || tag === '..') errors.push('Tag name must not be "." or ".."');
  if (semver.validRange(tag) !== null) errors.push(`Tag name must not be a valid SemVer range: ${tag}`);
  // dist-tags are keys of a JSON object: `__proto__` would replace its prototype when read back, and
  // `constructor` or `toString` would shadow what every object has.
  if (Object.hasOwn(Object.prototype, tag))
    errors.push(`Tag name must not be a property every object has: ${tag}`);
  return errors;
}
