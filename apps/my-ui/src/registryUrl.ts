/**
 * The registry to browse: `?registry=` in the page's URL, else `VITE_REGISTRY_URL` from the build,
 * else the site the UI is served from. Always ends in `/` so package paths resolve beneath it.
 */
export function registryUrl(pageUrl: string, builtIn: string | undefined): string {
  const page = new URL(pageUrl);
  const chosen = page.searchParams.get('registry') || builtIn || page.origin;
  const url = new URL(chosen, page);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`the registry URL must use http or https: ${chosen}`);
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}
