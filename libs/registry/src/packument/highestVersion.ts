import semver from 'semver';

/** The highest of `versions` by semver precedence (prereleases included), or undefined for none. */
export function highestVersion(versions: Iterable<string>): string | undefined {
  let highest: string | undefined;
  for (const version of versions) {
    if (highest === undefined || semver.compareLoose(version, highest) > 0) highest = version;
  }
  return highest;
}
