/**
 * `value` as an http(s) URL with nothing after its path, or undefined: a registry's address is a base
 * that paths are appended to, so a query or fragment would be silently lost.
 */
export function parseHttpUrl(value: string): URL | undefined {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search ||
    url.hash
  ) {
    return undefined;
  }
  return url;
}
