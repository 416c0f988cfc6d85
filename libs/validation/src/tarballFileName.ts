import { unscopedPackageName } from './packageName.ts';
import { quote } from './quote.ts';
import { ValidationError } from './ValidationError.ts';
import { assertVersion, isValidVersion } from './version.ts';

const extension = '.tgz';

/**
 * npm's tarball file name, `<unscoped name>-<version>.tgz`, for scoped and unscoped packages
 * alike (`@myorg/cli` 1.0.0 → `cli-1.0.0.tgz`). Legacy names are accepted, since tarballs of
 * existing packages must still be found. Throws a ValidationError for an invalid name or version.
 */
export function tarballFileName(name: string, version: string): string {
  return `${unscopedPackageName(name, { legacy: true })}-${assertVersion(version)}${extension}`;
}

/**
 * The version a tarball file name of package `name` stands for: what a download route
 * (`/@scope/name/-/name-1.0.0.tgz`) needs. `name` is a package name already checked (a route's
 * decoded `:pkg`): checking it again cost a tarball download ~4 % of its CPU. Throws a
 * ValidationError (code EINVALIDTARBALLNAME) when the file name does not belong to `name` or holds
 * no valid version.
 */
export function versionFromTarballFileName(fileName: string, name: string): string {
  const prefix = `${name.slice(name.indexOf('/') + 1)}-`;
  if (typeof fileName === 'string' && fileName.startsWith(prefix) && fileName.endsWith(extension)) {
    const version = fileName.slice(prefix.length, -extension.length);
    if (isValidVersion(version)) return version;
  }
  throw new ValidationError([`expected ${prefix}<version>${extension}`], {
    subject: `invalid tarball file name ${quote(fileName)}`,
    code: 'EINVALIDTARBALLNAME',
  });
}
