import semver from 'semver';
import { quote } from './quote.ts';
import { ValidationError } from './ValidationError.ts';

/**
 * True for a version exactly as the registry stores it: strict semver, no leading `v` or `=`, no
 * whitespace, no build metadata (npm drops `+build` when it publishes, so it never reaches a
 * packument).
 */
export function isValidVersion(version: unknown): version is string {
  return typeof version === 'string' && semver.valid(version) === version;
}

/** Returns `version` when it is valid, else throws a ValidationError (code EINVALIDVERSION). */
export function assertVersion(version: unknown): string {
  if (isValidVersion(version)) return version;
  throw new ValidationError(['version must be a strict semver version such as 1.2.3 or 2.0.0-beta.1'], {
    subject: `invalid version ${quote(version)}`,
    code: 'EINVALIDVERSION',
  });
}
