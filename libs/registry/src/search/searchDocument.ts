import { isPlainObject } from '@myorg/utilities';
import type { Packument, Person } from '../packument/types.ts';

/** What search knows of a package: the fields npm's search results carry, from its `latest` version. */
export interface SearchDocument {
  name: string;
  version: string;
  description: string | undefined;
  keywords: string[];
  date: string;
  /** homepage, repository and bugs URLs; the registry adds its own `npm` link per request. */
  links: Record<string, string>;
  publisher: { username: string; email?: string } | undefined;
  maintainers: { username: string; email?: string }[];
}

function user(person: Person): { username: string; email?: string } {
  return person.email ? { username: person.name, email: person.email } : { username: person.name };
}

function urlOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const url = isPlainObject(value) ? value.url : undefined;
  return typeof url === 'string' ? url : undefined;
}

function isPerson(value: unknown): value is Person {
  return isPlainObject(value) && typeof value.name === 'string';
}

/**
 * The search view of a packument at `version` (its `latest` unless the supply-chain policy moved
 * it), or undefined for one with nothing published.
 */
export function searchDocument(
  packument: Packument,
  version = packument['dist-tags'].latest,
): SearchDocument | undefined {
  const latest = version === undefined ? undefined : packument.versions[version];
  if (version === undefined || latest === undefined) return undefined;
  const keywords = Array.isArray(latest.keywords)
    ? latest.keywords.filter((keyword): keyword is string => typeof keyword === 'string')
    : [];
  const links: Record<string, string> = {};
  for (const field of ['homepage', 'repository', 'bugs'] as const) {
    const url = urlOf(latest[field]);
    if (url !== undefined) links[field] = url;
  }
  return {
    name: packument.name,
    version,
    description: typeof latest.description === 'string' ? latest.description : undefined,
    keywords,
    date: packument.time[version] ?? packument.time.modified,
    links,
    publisher: isPerson(latest._npmUser) ? user(latest._npmUser) : undefined,
    maintainers: (packument.maintainers ?? []).filter(isPerson).map(user),
  };
}
