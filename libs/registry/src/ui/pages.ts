import type { TokenRecord } from '../auth/tokens/records.ts';
import { publicHref } from '../http/requestLocation.ts';
import type { SearchResponse } from '../search/SearchIndex.ts';
import { type Html, html } from './html.ts';
import { UiMessages as M } from './messages.ts';
import type { PackageView } from './packageView.ts';

/** What every page needs: where the registry is mounted, who looks, and the asset names. */
export interface PageFrame {
  baseUrl: string;
  viewer: string | undefined;
  style: string;
  script: string;
  /** The search box's text. */
  query?: string;
}

const day = (time: string | undefined) => (time === undefined ? '' : time.slice(0, 10));

function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A link to a package page; the name is percent-encoded as one path segment after the scope's `@`. */
export function packageHref(baseUrl: string, name: string): string {
  return publicHref(
    baseUrl,
    `/package/${name.startsWith('@') ? `@${encodeURIComponent(name.slice(1)).replace('%2F', '/')}` : encodeURIComponent(name)}`,
  );
}

export function layout(frame: PageFrame, title: string, body: Html): Html {
  const { baseUrl, viewer } = frame;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${M.siteName}</title>
<link rel="stylesheet" href="${publicHref(baseUrl, `/-/ui/assets/${frame.style}`)}">
<script defer src="${publicHref(baseUrl, `/-/ui/assets/${frame.script}`)}"></script>
</head><body data-base="${baseUrl}">
<header class="site"><a class="brand" href="${publicHref(baseUrl, '/')}">${M.siteName}</a>
<form role="search" action="${publicHref(baseUrl, '/')}" method="get"><input type="search" name="q" value="${frame.query ?? ''}" aria-label="${M.searchLabel}" placeholder="${M.searchLabel}"><button type="submit">${M.searchButton}</button></form>
<nav>${
    viewer === undefined
      ? html`<a href="${publicHref(baseUrl, '/-/ui/signin')}">${M.signIn}</a>`
      : html`<a href="${publicHref(baseUrl, '/-/ui/account')}">${M.account(viewer)}</a><button type="button" data-sign-out>${M.signOut}</button>`
  }</nav></header>
<main>${body}</main>
<p id="status" role="status" class="muted"></p>
</body></html>`;
}

export function searchPage(
  frame: PageFrame,
  text: string,
  from: number,
  size: number,
  result: SearchResponse,
): Html {
  const { baseUrl } = frame;
  const first = result.objects.length === 0 ? 0 : from + 1;
  const last = from + result.objects.length;
  const pageLink = (start: number, label: string) =>
    html`<a href="${publicHref(baseUrl, `/?${new URLSearchParams({ q: text, from: String(start) }).toString()}`)}">${label}</a>`;
  return html`<h1>${M.searchHeading(text)}</h1>
<p class="muted">${M.searchSummary(first, last, result.total)}</p>
<ul class="hits">${result.objects.map(
    ({
      package: hit,
    }) => html`<li class="hit"><h2><a href="${packageHref(baseUrl, hit.name)}">${hit.name}</a></h2>
<div class="muted">${M.published(hit.version, day(hit.date))}</div>
${hit.description === undefined ? '' : html`<p>${hit.description}</p>`}
${hit.keywords.length === 0 ? '' : html`<ul class="keywords">${hit.keywords.map((keyword) => html`<li>${keyword}</li>`)}</ul>`}</li>`,
  )}</ul>
<nav class="pager">${from > 0 && pageLink(Math.max(0, from - size), M.previousPage)}${last < result.total && pageLink(last, M.nextPage)}</nav>`;
}

export interface PackagePageData {
  view: PackageView;
  readme: Html | undefined;
  dependents: readonly string[];
  /** The names among the dependencies that are this registry's own (linked). */
  local: ReadonlySet<string>;
  /** The stored tarball's size, when the manifest says nothing of the unpacked size. */
  tarballBytes: number | undefined;
}

export function packagePage(frame: PageFrame, data: PackagePageData): Html {
  const { baseUrl } = frame;
  const { view, readme, dependents, local, tarballBytes } = data;
  const dist = view.latest?.dist;
  return html`<div class="package"><article>
<h1>${view.name}</h1>
<p class="muted">${view.latest === undefined ? '' : M.published(view.latest.version, day(view.versions[0]?.published ?? view.modified))}</p>
${view.description === undefined ? '' : html`<p>${view.description}</p>`}
${view.deprecated === undefined ? '' : html`<div class="deprecated" role="note"><strong>${M.deprecated}</strong>: ${view.deprecated}</div>`}
<h2>${M.readme}</h2>
<div class="readme">${readme ?? html`<p class="muted">${M.noReadme}</p>`}</div>
</article><aside>
<section class="install"><h3>${M.install}</h3><code>npm install ${view.name}</code><code>pnpm add ${view.name}</code></section>
${view.license === undefined ? '' : html`<section><h3>${M.license}</h3>${view.license}</section>`}
${dist?.unpackedSize === undefined ? '' : html`<section><h3>${M.size}</h3>${bytes(dist.unpackedSize)}</section>`}
${dist?.fileCount === undefined ? '' : html`<section><h3>${M.files}</h3>${dist.fileCount}</section>`}
${tarballBytes === undefined ? '' : html`<section><h3>${M.tarballSize}</h3>${bytes(tarballBytes)}</section>`}
${view.links.length === 0 ? '' : html`<section><h3>${M.links}</h3><ul>${view.links.map((link) => html`<li><a href="${link.url}" rel="nofollow noopener noreferrer">${link.label}</a></li>`)}</ul></section>`}
<section><h3>${M.distTags}</h3><table class="dist-tags">${view.distTags.map(({ tag, version }) => html`<tr><td>${tag}</td><td>${version}</td></tr>`)}</table></section>
<section><h3>${M.versions}</h3><table class="versions">${view.versions.map(
    ({ version, published, deprecated }) =>
      html`<tr><td>${version}${deprecated && html` <span class="muted">(deprecated)</span>`}</td><td>${day(published)}</td></tr>`,
  )}</table></section>
<section><h3>${M.dependencies}</h3>${
    view.dependencies.length === 0
      ? html`<p class="muted">${M.noDependencies}</p>`
      : html`<ul class="dependencies">${view.dependencies.map(
          ({ kind, name, range }) =>
            html`<li>${local.has(name) ? html`<a href="${packageHref(baseUrl, name)}">${name}</a>` : name} <span class="muted">${range}${kind === 'dependency' ? '' : ` (${kind})`}</span></li>`,
        )}</ul>`
  }</section>
<section><h3>${M.dependents}</h3>${
    dependents.length === 0
      ? html`<p class="muted">${M.noDependents}</p>`
      : html`<ul class="dependents">${dependents.map((name) => html`<li><a href="${packageHref(baseUrl, name)}">${name}</a></li>`)}</ul>`
  }</section>
${view.keywords.length === 0 ? '' : html`<section><h3>${M.keywords}</h3><ul class="keywords">${view.keywords.map((keyword) => html`<li>${keyword}</li>`)}</ul></section>`}
<section><h3>${M.maintainers}</h3><ul>${view.maintainers.map((name) => html`<li>${name}</li>`)}</ul></section>
</aside></div>`;
}

export function signInPage(provider: string): Html {
  return html`<h1>${M.signInHeading}</h1>${
    provider === 'local'
      ? html`<form class="signin" data-password-login>
<label>${M.userName} <input name="name" autocomplete="username" required></label>
<label>${M.password} <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">${M.signIn}</button></form>`
      : html`<button type="button" data-web-login>${M.signInWithProvider(provider)}</button>`
  }`;
}

export function accountPage(
  frame: PageFrame,
  name: string,
  packages: readonly string[],
  tokens: readonly TokenRecord[] | undefined,
  currentKey: string | undefined,
): Html {
  const { baseUrl } = frame;
  return html`<h1>${M.accountHeading(name)}</h1>
<h2>${M.yourPackages}</h2>${
    packages.length === 0
      ? html`<p class="muted">${M.noPackages}</p>`
      : html`<ul class="packages">${packages.map((pkg) => html`<li><a href="${packageHref(baseUrl, pkg)}">${pkg}</a></li>`)}</ul>`
  }
${
  tokens === undefined
    ? ''
    : html`<h2>${M.tokens}</h2>${
        tokens.length === 0
          ? html`<p class="muted">${M.noTokens}</p>`
          : html`<table class="tokens"><thead><tr>${M.tokenColumns.map((column) => html`<th>${column}</th>`)}</tr></thead><tbody>${tokens.map(
              (
                token,
              ) => html`<tr><td><code>${token.masked}…</code></td><td>${token.name}${token.key === currentKey && html` <span class="muted">(${M.thisSession})</span>`}</td><td>${token.readOnly ? M.readOnly : M.readWrite}</td><td>${day(token.created)}</td><td>${token.expires === undefined ? M.never : day(token.expires)}</td>
<td><button type="button" data-revoke="${token.key}">${M.revoke}</button></td></tr>`,
            )}</tbody></table>`
      }`
}`;
}

export function errorPage(status: number, message: string): Html {
  return html`<h1>${status === 404 ? M.notFound : M.errorHeading(status)}</h1><p class="error">${message}</p>`;
}
