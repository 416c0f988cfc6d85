import { h } from '../dom.ts';
import { type PackageDetails, packageDetails, type VersionRow } from '../packageDetails.ts';
import { type ReadmeBlock, readmeBlocks } from '../readmeBlocks.ts';
import type { RegistryApi } from '../registryApi.ts';
import { listHref, type PackageTab, packageHref } from '../routes.ts';
import { timeElement } from './timeElement.ts';

function blockElement(block: ReadmeBlock): HTMLElement {
  if (block.kind === 'heading') {
    // The page's own h1 is the package name, so readme headings start one level lower.
    return h(`h${Math.min(block.level + 1, 6)}` as 'h2', {}, block.text);
  }
  if (block.kind === 'code') return h('pre', {}, h('code', {}, block.text));
  if (block.kind === 'list') return h('ul', {}, ...block.items.map((item) => h('li', {}, item)));
  return h('p', {}, block.text);
}

function readmePanel(details: PackageDetails): HTMLElement {
  const blocks = readmeBlocks(details.readme);
  if (blocks.length === 0) return h('p', { class: 'muted' }, 'This package has no readme.');
  return h('article', { class: 'readme' }, ...blocks.map(blockElement));
}

function versionTable(caption: string, rows: VersionRow[]): HTMLElement {
  return h(
    'table',
    { class: 'versions' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', {}, 'Version'), h('th', {}, 'Published'), h('th', {}, 'Tags'))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          {},
          h(
            'td',
            {},
            row.version,
            row.deprecated && h('span', { class: 'deprecated', title: row.deprecated }, ' deprecated'),
          ),
          h('td', {}, timeElement(row.published)),
          h('td', {}, row.tags.join(', ')),
        ),
      ),
    ),
  );
}

function versionsPanel(details: PackageDetails): HTMLElement {
  return h(
    'div',
    {},
    versionTable(`Releases (${details.releases.length})`, details.releases),
    details.prereleases.length > 0 &&
      versionTable(`Pre-releases (${details.prereleases.length})`, details.prereleases),
  );
}

function tagsPanel(details: PackageDetails): HTMLElement {
  return h(
    'table',
    { class: 'tags' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Tag'), h('th', {}, 'Version'), h('th', {}, 'Published'))),
    h(
      'tbody',
      {},
      ...details.distTags.map(({ tag, version, published }) =>
        h('tr', {}, h('td', {}, tag), h('td', {}, version), h('td', {}, timeElement(published))),
      ),
    ),
  );
}

const panels: Record<
  PackageTab,
  { label: (details: PackageDetails) => string; render: (details: PackageDetails) => HTMLElement }
> = {
  readme: { label: () => 'Readme', render: readmePanel },
  versions: {
    label: (details) => `Versions (${details.releases.length + details.prereleases.length})`,
    render: versionsPanel,
  },
  tags: { label: (details) => `Dist-tags (${details.distTags.length})`, render: tagsPanel },
};

/** One package: its latest version and description, and a tab for the readme, versions or dist-tags. */
export async function packageView(api: RegistryApi, name: string, tab: PackageTab): Promise<HTMLElement> {
  const packument = await api.packument(name);
  const back = h('a', { href: listHref(), class: 'back' }, '← All packages');
  if (packument === undefined) {
    return h(
      'section',
      {},
      back,
      h('h1', {}, 'Package not found'),
      h('p', {}, `This registry has no package named ${name}.`),
    );
  }
  const details = packageDetails(packument);
  return h(
    'section',
    { class: 'package' },
    back,
    h('h1', {}, details.name, ' ', details.latest && h('span', { class: 'version' }, details.latest)),
    details.description && h('p', { class: 'description' }, details.description),
    details.published && h('p', { class: 'muted' }, 'Latest published ', timeElement(details.published)),
    h(
      'nav',
      { class: 'tabs', 'aria-label': 'Package sections' },
      ...(Object.keys(panels) as PackageTab[]).map((key) =>
        h(
          'a',
          { href: packageHref(name, key), 'aria-current': key === tab ? 'page' : undefined },
          panels[key].label(details),
        ),
      ),
    ),
    h('div', { class: 'panel' }, panels[tab].render(details)),
  );
}
