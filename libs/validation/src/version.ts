import semver from 'semver';
import { quote } from './quote.ts';
import { ValidationError } from './ValidationError.ts';

/**
 * The longest version accepted. semver allows 256 characters, but a version is also a folder name in
 * storage (255 bytes at most on common file systems) and part of every tarball URL: 128 is far
 * beyond any real version and leaves room for both.
 */
export const MAX_VERSION_LENGTH = 128;

/**
 * True for a version exactly as the registry stores it: strict semver, no leading `v` or `=`, no
 * whitespace, no build metadata (npm drops `+build` when it publishes, so it never reaches a
 * packument), at most MAX_VERSION_LENGTH characters.
 */
export function isValidVersion(version: unknown): version is string {
  return (
    typeof version === 'string' && version.length <= MAX_VERSION_LENGTH && semver.valid(version) === version
  );
}

/** Returns `version` when it is valid, else throws a ValidationError (code EINVALIDVERSION). */
export function assertVersion(version: unknown): string {
  if (isValidVersion(version)) return version;
  const problem =
    typeof version === 'string' && version.length > MAX_VERSION_LENGTH
      ? `version is too long: ${version.length} characters, at most ${MAX_VERSION_LENGTH} are allowed`
      : 'version must be a strict semver version such as 1.2.3 or 2.0.0-beta.1';
  throw new ValidationError([problem], {
    subject: `invalid version ${quote(version)}`,
    code: 'EINVALIDVERSION',
  });
}
