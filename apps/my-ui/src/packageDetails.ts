import { groupBy, partition } from '@myorg/array';
import { type NpmTime, versionTimes } from '@myorg/date';
import type { Packument } from './registryApi.ts';

export interface VersionRow {
  version: string;
  /** Publish time, when the registry recorded one. */
  published: Date | undefined;
  /** Dist-tags pointing at this version. */
  tags: string[];
  deprecated: string | undefined;
}

export interface PackageDetails {
  name: string;
  description: string;
  latest: string | undefined;
  published: Date | undefined;
  readme: string;
  /** Dist-tags with `latest` first, then by name. */
  distTags: { tag: string; version: string; published: Date | undefined }[];
  /** Newest first. */
  releases: VersionRow[];
  prereleases: VersionRow[];
}

/** What the package page shows, taken from a full packument. */
export function packageDetails(packument: Packument): PackageDetails {
  const distTags = packument['dist-tags'] ?? {};
  const times = new Map(
    versionTimes((packument.time ?? {}) as NpmTime).map(({ version, date }) => [version, date] as const),
  );
  const tagsByVersion = groupBy(Object.keys(distTags), (tag) => distTags[tag] as string);
  const rows = Object.values(packument.versions ?? {}).map(
    (manifest): VersionRow => ({
      version: manifest.version,
      published: times.get(manifest.version),
      tags: tagsByVersion[manifest.version] ?? [],
      deprecated: manifest.deprecated,
    }),
  );
  // Newest first by publish time; versions without one keep the registry's order, at the end.
  const order = (row: VersionRow) => row.published?.getTime() ?? Number.NEGATIVE_INFINITY;
  rows.sort((a, b) => order(b) - order(a));
  const [prereleases, releases] = partition(rows, (row) => row.version.includes('-'));
  const latest = distTags.latest;
  return {
    name: packument.name,
    description:
      packument.description ?? (latest ? packument.versions[latest]?.description : undefined) ?? '',
    latest,
    published: latest ? times.get(latest) : undefined,
    readme: packument.readme ?? '',
    distTags: Object.entries(distTags)
      .sort(([a], [b]) => (a === 'latest' ? -1 : b === 'latest' ? 1 : a.localeCompare(b)))
      .map(([tag, version]) => ({ tag, version, published: times.get(version) })),
    releases,
    prereleases,
  };
}
