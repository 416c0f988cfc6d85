import { BadRequestError } from '@myorg/error';

// npm's naming rule, case-insensitive because packages from before the lower-case rule still exist.
// Every allowed character is URL-safe, so a checked name cannot climb out of its path (`..`).
const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;

/** Throws a 400 for anything npm would not accept as a package name. */
export function assertPackageName(name: string): void {
  if (name.length > 214 || !PACKAGE_NAME.test(name)) {
    throw new BadRequestError(`invalid package name: ${JSON.stringify(name)}`, {
      code: 'EINVALIDPACKAGENAME',
    });
  }
}

/** The name as one path segment, the way npm sends it: `@scope/pkg` becomes `@scope%2fpkg`. */
export function escapePackageName(name: string): string {
  assertPackageName(name);
  return name.replace('/', '%2f');
}

/** The name without its scope, as used in tarball file names: `@scope/pkg` gives `pkg`. */
export function unscopedName(name: string): string {
  return name.slice(name.indexOf('/') + 1);
}
