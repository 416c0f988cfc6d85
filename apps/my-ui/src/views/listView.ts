import { groupBy, uniq } from '@myorg/array';
import { h } from '../dom.ts';
import type { RegistryApi, SearchHit } from '../registryApi.ts';
import { listHref, packageHref } from '../routes.ts';
import { timeElement } from './timeElement.ts';

export const PAGE_SIZE = 20;

const scopeOf = (name: string) => (name.startsWith('@') ? name.slice(0, name.indexOf('/')) : 'unscoped');

function hitItem(hit: SearchHit): HTMLElement {
  return h(
    'li',
    { class: 'hit' },
    h('a', { href: packageHref(hit.name), class: 'hit-name' }, hit.name),
    ' ',
    h('span', { class: 'version' }, hit.version),
    hit.date && h('span', { class: 'muted' }, ' published ', timeElement(new Date(hit.date))),
    hit.description && h('p', {}, hit.description),
    (hit.keywords?.length ?? 0) > 0 &&
      h('ul', { class: 'keywords' }, ...uniq(hit.keywords ?? []).map((keyword) => h('li', {}, keyword))),
  );
}

/** Search results (all packages for an empty query), grouped by scope, a page at a time. */
export async function listView(api: RegistryApi, query: string, from: number): Promise<HTMLElement> {
  const { hits, total } = await api.search(query, { from, size: PAGE_SIZE });
  const form = h(
    'form',
    { class: 'search', role: 'search' },
    h('input', {
      type: 'search',
      name: 'q',
      value: query,
      placeholder: 'Search packages',
      'aria-label': 'Search packages',
    }),
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = listHref(String(new FormData(form).get('q') ?? '').trim());
  });
  const groups = groupBy(hits, (hit) => scopeOf(hit.name));
  const scopes = Object.keys(groups).sort((a, b) =>
    a === 'unscoped' ? 1 : b === 'unscoped' ? -1 : a.localeCompare(b),
  );
  const summary =
    total === 0
      ? query
        ? `No packages match “${query}”.`
        : 'This registry has no packages yet.'
      : `Showing ${from + 1}–${from + hits.length} of ${total} package${total === 1 ? '' : 's'}`;
  return h(
    'section',
    { class: 'list' },
    h('h1', {}, query ? `Packages matching “${query}”` : 'Packages'),
    form,
    h('p', { class: 'summary' }, summary),
    ...scopes.map((scope) =>
      h(
        'section',
        { class: 'scope' },
        h('h2', {}, scope),
        h('ul', { class: 'hits' }, ...(groups[scope] ?? []).map(hitItem)),
      ),
    ),
    h(
      'nav',
      { class: 'pages', 'aria-label': 'Result pages' },
      from > 0 && h('a', { href: listHref(query, Math.max(0, from - PAGE_SIZE)) }, '← Previous'),
      from + hits.length < total && h('a', { href: listHref(query, from + PAGE_SIZE) }, 'Next →'),
    ),
  );
}
