import type { Packument, VersionManifest } from './types.ts';

/** The manifest a version or dist-tag names in `packument`, or undefined. */
export function resolveVersion(packument: Packument, spec: string): VersionManifest | undefined {
  const { versions } = packument;
  const tags = packument['dist-tags'];
  const version = Object.hasOwn(versions, spec) ? spec : Object.hasOwn(tags, spec) ? tags[spec] : undefined;
  return version !== undefined && Object.hasOwn(versions, version) ? versions[version] : undefined;
}
