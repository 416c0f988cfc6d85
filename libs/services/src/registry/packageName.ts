import { assertPackageName } from '@myorg/validation';

/**
 * The name as one path segment, the way npm sends it: `@scope/pkg` becomes `@scope%2fpkg`. Names
 * are checked in legacy mode, since reads must reach packages npm grandfathered (`JSONStream`).
 */
export function escapePackageName(name: string): string {
  return assertPackageName(name, { legacy: true }).replace('/', '%2f');
}
