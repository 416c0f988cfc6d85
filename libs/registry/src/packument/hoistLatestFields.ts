import type { Packument } from './types.ts';

/** Fields the top level of a packument repeats from the version `latest` points at. */
const hoistedFields = [
  'description',
  'keywords',
  'license',
  'homepage',
  'repository',
  'bugs',
  'author',
  'contributors',
] as const;

/**
 * Copies the descriptive fields of the `latest` version to the top level (or removes them when
 * that version lacks them), as the npm registry does; search and `npm view` read them there.
 */
export function hoistLatestFields(packument: Packument): Packument {
  const latestVersion = packument['dist-tags'].latest;
  const latest = latestVersion === undefined ? undefined : packument.versions[latestVersion];
  const out: Record<string, unknown> = { ...packument };
  for (const field of hoistedFields) {
    const value = latest?.[field];
    if (value === undefined) delete out[field];
    else out[field] = value;
  }
  return out as Packument;
}
