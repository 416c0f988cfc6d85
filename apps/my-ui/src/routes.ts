export const PACKAGE_TABS = ['readme', 'versions', 'tags'] as const;
export type PackageTab = (typeof PACKAGE_TABS)[number];

export type Route =
  | { page: 'list'; query: string; from: number }
  | { page: 'package'; name: string; tab: PackageTab }
  | { page: 'missing'; hash: string };

/**
 * Pages live in the URL's fragment (`#/package/%40myorg%2Flogger/versions`), so the built UI is a
 * set of static files that any web server, or a bucket, can serve from any path.
 */
export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  if (path === '' || path === '/') {
    const params = new URLSearchParams(search);
    const from = Number.parseInt(params.get('from') ?? '0', 10);
    return {
      page: 'list',
      query: params.get('q') ?? '',
      from: Number.isSafeInteger(from) && from > 0 ? from : 0,
    };
  }
  const match = /^\/package\/([^/]+)(?:\/([a-z]+))?$/.exec(path);
  const tab = (match?.[2] ?? 'readme') as PackageTab;
  if (match?.[1] && PACKAGE_TABS.includes(tab)) {
    try {
      return { page: 'package', name: decodeURIComponent(match[1]), tab };
    } catch {
      // A malformed escape is a page that does not exist.
    }
  }
  return { page: 'missing', hash };
}

export function listHref(query = '', from = 0): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (from > 0) params.set('from', String(from));
  const search = params.toString();
  return search ? `#/?${search}` : '#/';
}

export function packageHref(name: string, tab: PackageTab = 'readme'): string {
  return `#/package/${encodeURIComponent(name)}${tab === 'readme' ? '' : `/${tab}`}`;
}
