import { isPlainObject } from '@myorg/utilities';
import semver from 'semver';
import type { Packument, VersionManifest } from '../packument/types.ts';

/** What the package page shows, derived from the packument alone. */
export interface PackageView {
  name: string;
  /** The `latest` version; undefined when every version was unpublished. */
  latest: VersionManifest | undefined;
  description: string | undefined;
  /** The `latest` version's deprecation message. */
  deprecated: string | undefined;
  license: string | undefined;
  /** Only http(s) URLs: anything else is never made a link. */
  links: { label: string; url: string }[];
  keywords: string[];
  maintainers: string[];
  /** Newest first, each with its publish time. */
  versions: { version: string; published: string | undefined; deprecated: boolean }[];
  distTags: { tag: string; version: string }[];
  dependencies: { kind: string; name: string; range: string }[];
  readme: string | undefined;
  modified: string;
}

const DEPENDENCY_KINDS = [
  ['dependencies', 'dependency'],
  ['peerDependencies', 'peer'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
] as const;

function stringField(manifest: VersionManifest | undefined, field: string): string | undefined {
  const value = manifest?.[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A web link from a package.json URL field (string or `{url}`), `git+https:` made `https:`. */
function webUrl(value: unknown): string | undefined {
  const raw = typeof value === 'string' ? value : isPlainObject(value) ? value.url : undefined;
  if (typeof raw !== 'string') return undefined;
  const candidate = raw.replace(/^git\+/, '').replace(/\.git$/, '');
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function packageView(packument: Packument): PackageView {
  const latestVersion = packument['dist-tags'].latest;
  const latest = latestVersion === undefined ? undefined : packument.versions[latestVersion];
  const links: PackageView['links'] = [];
  for (const [field, label] of [
    ['homepage', 'Homepage'],
    ['repository', 'Repository'],
    ['bugs', 'Issues'],
  ] as const) {
    const url = webUrl(latest?.[field]);
    if (url !== undefined) links.push({ label, url });
  }
  const keywords = Array.isArray(latest?.keywords)
    ? latest.keywords.filter((keyword): keyword is string => typeof keyword === 'string')
    : [];
  const versions = Object.keys(packument.versions)
    .sort((a, b) => (semver.valid(a) && semver.valid(b) ? semver.rcompare(a, b) : b.localeCompare(a)))
    .map((version) => ({
      version,
      published: packument.time[version],
      deprecated: packument.versions[version]?.deprecated !== undefined,
    }));
  const dependencies: PackageView['dependencies'] = [];
  for (const [field, kind] of DEPENDENCY_KINDS) {
    const value = latest?.[field];
    if (!isPlainObject(value)) continue;
    for (const [name, range] of Object.entries(value))
      dependencies.push({ kind, name, range: String(range) });
  }
  return {
    name: packument.name,
    latest,
    description: stringField(latest, 'description'),
    deprecated: stringField(latest, 'deprecated'),
    license: stringField(latest, 'license'),
    links,
    keywords,
    maintainers: (packument.maintainers ?? []).map((person) => person.name),
    versions,
    distTags: Object.entries(packument['dist-tags']).map(([tag, version]) => ({ tag, version })),
    dependencies,
    readme: typeof packument.readme === 'string' && packument.readme !== '' ? packument.readme : undefined,
    modified: packument.time.modified,
  };
}

/** The string members of `value`, when it is an object. */
function stringMembers(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/**
 * The view of a document as served (an upstream's, or one the supply-chain policy rewrote), whose
 * shape nothing here has checked: only members of the types a packument has are read, so a
 * malformed document shows less, never fails the page. Undefined when it names no package or has
 * no versions object.
 */
export function servedPackageView(document: object): PackageView | undefined {
  const fields: Record<string, unknown> = { ...document };
  const { name, versions, maintainers, readme } = fields;
  if (typeof name !== 'string' || !isPlainObject(versions)) return undefined;
  return packageView({
    _id: name,
    _rev: '',
    name,
    'dist-tags': stringMembers(fields['dist-tags']),
    versions: Object.fromEntries(
      Object.entries(versions).filter((entry): entry is [string, VersionManifest] => isPlainObject(entry[1])),
    ),
    time: { modified: '', created: '', ...stringMembers(fields.time) },
    maintainers: Array.isArray(maintainers)
      ? maintainers.filter(
          (person): person is { name: string } => isPlainObject(person) && typeof person.name === 'string',
        )
      : [],
    readme: typeof readme === 'string' ? readme : undefined,
  });
}
