import { isPlainObject } from '@myorg/utilities';
import type { Packument } from '../packument/types.ts';
import { type SearchDocument, searchDocument } from './searchDocument.ts';

export interface SearchQuery {
  /** Words, all of which must match; `keywords:a,b`, `scope:name` and `maintainer:name` narrow further. */
  text: string;
  size: number;
  from: number;
}

/** One hit in npm's search response shape. */
export interface SearchObject {
  package: SearchDocument;
  score: { final: number; detail: { quality: number; popularity: number; maintenance: number } };
  searchScore: number;
}

export interface SearchResponse {
  objects: SearchObject[];
  total: number;
  time: string;
}

interface Filters {
  words: string[];
  keywords: string[];
  scope: string | undefined;
  maintainer: string | undefined;
}

/**
 * An in-memory index of the registry's own packages for `npm search`. It is built on the first
 * search from every stored packument and kept current by `update` on each write (a write that
 * lands while the index is being built is applied once the build ends).
 */
export class SearchIndex {
  readonly #loadAll: () => AsyncIterable<Packument>;
  #documents: Map<string, SearchDocument> | undefined;
  /** What each package's `latest` depends on (all dependency kinds), for `dependents`. */
  readonly #dependencies = new Map<string, ReadonlySet<string>>();
  #building: Promise<Map<string, SearchDocument>> | undefined;
  readonly #pending = new Map<string, Packument>();

  constructor(loadAll: () => AsyncIterable<Packument>) {
    this.#loadAll = loadAll;
  }

  /**
   * Builds the index now rather than at the first search, so that search answers at once. A build
   * that fails is not remembered: the first search builds again and answers with its error.
   */
  async warm(): Promise<void> {
    await this.#build().catch(() => undefined);
  }

  /** Takes in the packument a write just stored. */
  update(packument: Packument): void {
    if (this.#documents === undefined) {
      if (this.#building !== undefined) this.#pending.set(packument.name, packument);
      return;
    }
    this.#apply(this.#documents, packument);
  }

  /**
   * The readable packages whose `latest` version depends on `name`, by name; for the web UI's
   * package page (a scan of the index: milliseconds for 10,000 packages).
   */
  async dependents(name: string, readable: (document: SearchDocument) => boolean): Promise<string[]> {
    const documents = this.#documents ?? (await this.#build());
    const found: string[] = [];
    for (const [dependent, dependencies] of this.#dependencies) {
      const document = documents.get(dependent);
      if (document !== undefined && dependencies.has(name) && readable(document)) found.push(dependent);
    }
    return found.sort();
  }

  /**
   * The hits among the packages `readable` lets the caller see, so pages and totals count only
   * those. `served`, when given, says what of a hit may be shown (another version than the indexed
   * `latest`, or nothing); a hit is matched again on what it shows.
   */
  async search(
    query: SearchQuery,
    baseUrl: string,
    readable: (document: SearchDocument) => boolean,
    served?: (document: SearchDocument) => Promise<SearchDocument | undefined>,
  ): Promise<SearchResponse> {
    const documents = this.#documents ?? (await this.#build());
    const filters = parseText(query.text);
    let hits: { document: SearchDocument; score: number }[] = [];
    for (const document of documents.values()) {
      const score = scoreOf(document, filters);
      if (score > 0 && readable(document)) hits.push({ document, score });
    }
    if (served !== undefined) {
      const shown = await Promise.all(
        hits.map(async (hit) => ({ hit, document: await served(hit.document) })),
      );
      hits = [];
      for (const { hit, document } of shown) {
        if (document === undefined) continue;
        const score = document === hit.document ? hit.score : scoreOf(document, filters);
        if (score > 0) hits.push({ document, score });
      }
    }
    hits.sort((a, b) => b.score - a.score || (a.document.name < b.document.name ? -1 : 1));
    const best = hits[0]?.score ?? 1;
    return {
      objects: hits.slice(query.from, query.from + query.size).map(({ document, score }) => {
        const final = Math.round((score / best) * 1000) / 1000;
        return {
          package: { ...document, links: { npm: `${baseUrl}/${document.name}`, ...document.links } },
          score: { final, detail: { quality: final, popularity: final, maintenance: final } },
          searchScore: score,
        };
      }),
      total: hits.length,
      time: new Date().toUTCString(),
    };
  }

  #build(): Promise<Map<string, SearchDocument>> {
    // Cleared in a callback, which runs only once the promise is stored: a load that fails at once
    // must not leave its rejection in place for every later search.
    this.#building ??= this.#load().finally(() => {
      this.#building = undefined;
    });
    return this.#building;
  }

  async #load(): Promise<Map<string, SearchDocument>> {
    const documents = new Map<string, SearchDocument>();
    for await (const packument of this.#loadAll()) this.#apply(documents, packument);
    for (const packument of this.#pending.values()) this.#apply(documents, packument);
    this.#pending.clear();
    this.#documents = documents;
    return documents;
  }

  #apply(documents: Map<string, SearchDocument>, packument: Packument): void {
    const document = searchDocument(packument);
    if (document === undefined) {
      documents.delete(packument.name);
      this.#dependencies.delete(packument.name);
    } else {
      documents.set(packument.name, document);
      this.#dependencies.set(packument.name, dependencyNames(packument));
    }
  }
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;

function dependencyNames(packument: Packument): ReadonlySet<string> {
  const latest = packument.versions[packument['dist-tags'].latest ?? ''];
  const names = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const value = latest?.[field];
    if (isPlainObject(value)) for (const name of Object.keys(value)) names.add(name);
  }
  return names;
}

function parseText(text: string): Filters {
  const filters: Filters = { words: [], keywords: [], scope: undefined, maintainer: undefined };
  for (const term of text.toLowerCase().split(/\s+/)) {
    if (term === '') continue;
    const colon = term.indexOf(':');
    const qualifier = colon === -1 ? '' : term.slice(0, colon);
    const value = term.slice(colon + 1);
    if (qualifier === 'keywords') filters.keywords.push(...value.split(',').filter(Boolean));
    else if (qualifier === 'scope') filters.scope = value.replace(/^@/, '');
    else if (qualifier === 'maintainer' || qualifier === 'author') filters.maintainer = value;
    else filters.words.push(term);
  }
  return filters;
}

/** 0 when the package does not match; otherwise higher for better matches (name beats keyword beats description). */
function scoreOf(document: SearchDocument, filters: Filters): number {
  const name = document.name.toLowerCase();
  const keywords = document.keywords.map((keyword) => keyword.toLowerCase());
  if (filters.scope !== undefined && !name.startsWith(`@${filters.scope}/`)) return 0;
  if (filters.keywords.length > 0 && !filters.keywords.some((keyword) => keywords.includes(keyword)))
    return 0;
  if (
    filters.maintainer !== undefined &&
    !document.maintainers.some((maintainer) => maintainer.username.toLowerCase() === filters.maintainer)
  ) {
    return 0;
  }
  if (filters.words.length === 0) return 1;
  const unscoped = name.slice(name.indexOf('/') + 1);
  const description = document.description?.toLowerCase() ?? '';
  let total = 0;
  for (const word of filters.words) {
    let score = 0;
    if (name === word || unscoped === word) score = 100;
    else if (unscoped.startsWith(word)) score = 40;
    else if (name.includes(word)) score = 20;
    else if (keywords.includes(word)) score = 15;
    else if (keywords.some((keyword) => keyword.includes(word))) score = 8;
    else if (description.includes(word)) score = 5;
    if (score === 0) return 0;
    total += score;
  }
  return total;
}
