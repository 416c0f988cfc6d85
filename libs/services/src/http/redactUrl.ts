const SECRET_PARAM = /token|secret|password|signature|credential|^sig$|^key$/i;

/**
 * A URL fit for messages and logs: user-info removed and the values of query parameters that look
 * like secrets (tokens, presigned-URL signatures) masked.
 */
export function redactUrl(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return '[invalid url]';
  }
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, '***');
  }
  return url.href;
}
