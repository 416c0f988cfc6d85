import { assertPackageName, type PackageNameOptions } from './packageName.ts';
import { quote } from './quote.ts';
import { ValidationError } from './ValidationError.ts';

const controlCharacter = /\p{Cc}/u;

/**
 * The package name in a raw URL path segment. npm sends scoped names as `@scope%2fname`; other
 * clients and proxies send `@scope/name` or encode the `@` too. The segment is decoded exactly
 * once, and anything that could reach storage as a path (`..`, backslashes, NUL, extra slashes)
 * is refused before the name rules run. Throws a ValidationError (code EINVALIDPACKAGENAME).
 */
export function decodePackageNameFromPath(segment: string, options: PackageNameOptions = {}): string {
  const refuse = (issue: string) =>
    new ValidationError([issue], {
      subject: `invalid package name in path ${quote(segment)}`,
      code: 'EINVALIDPACKAGENAME',
    });
  if (typeof segment !== 'string') throw refuse('path segment must be a string');
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw refuse('path segment is not valid percent-encoding');
  }
  if (decoded.includes('\\')) throw refuse('path segment must not contain a backslash');
  if (controlCharacter.test(decoded)) throw refuse('path segment must not contain control characters');
  const parts = decoded.split('/');
  if (parts.some((part) => part === '.' || part === '..'))
    throw refuse('path segment must not contain "." or ".."');
  if (parts.length > (decoded.startsWith('@') ? 2 : 1)) {
    throw refuse('path segment must hold one package name: @scope/name or name');
  }
  return assertPackageName(decoded, options);
}
