import semver from 'semver';
import { quote } from './quote.ts';
import { ValidationError } from './ValidationError.ts';

/**
 * The longest version accepted. semver allows 256 characters, but a version is also a folder name in
 * storage (255 bytes at most on common file systems) and part of every tarball URL: 128 is far
 * beyond any real version and leaves room for both.
 */
export const MAX_VERSION_LENGTH = 128;

// Every tarball download checks the version in its file name, and clients ask for the same few:
// a semver parse costs a microsecond, a lookup nanoseconds. Only valid versions are remembered.
const MAX_REMEMBERED_VERSIONS = 10_000;
const validVersions = new Set<string>();

/**
 * True for a version exactly as the registry stores it: strict semver, no leading `v` or `=`, no
 * whitespace, no build metadata (npm drops `+build` when it publishes, so it never reaches a
 * packument), at most MAX_VERSION_LENGTH characters.
 */
export function isValidVersion(version: unknown): version is string {
  if (typeof version !== 'string' || version.length > MAX_VERSION_LENGTH) return false;
  if (validVersions.has(version)) return true;
  if (semver.valid(version) !== version) return false;
  if (validVersions.size >= MAX_REMEMBERED_VERSIONS) validVersions.clear();
  validVersions.add(version);
  return true;
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
