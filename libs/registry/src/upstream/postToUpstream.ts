import { ContentType, Header } from '@myorg/constants';
import { BadGatewayError, GatewayTimeoutError } from '@myorg/error';
import type { HttpResponse } from '@myorg/response';
import { RegistryError } from '@myorg/services';

/**
 * POSTs a JSON document to `path` under the upstream and hands back its answer as a response to
 * relay. RegistryClient has no call for arbitrary POST endpoints (the audit ones), hence this one
 * fetch; it follows the client's rules: credentials in the registry URL become Basic auth, a
 * timeout is a 504 `ETIMEDOUT`, an unreachable upstream a 502 with the system code, and a 5xx or
 * 429 a RegistryError, so the gate counts them all as the upstream failing.
 */
export async function postToUpstream(
  registry: string,
  path: string,
  document: unknown,
  timeoutMs: number,
): Promise<HttpResponse> {
  const base = new URL(registry);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const headers: Record<string, string> = {
    [Header.ACCEPT]: ContentType.JSON,
    [Header.CONTENT_TYPE]: ContentType.JSON,
  };
  if (base.username !== '') {
    const credentials = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
    headers[Header.AUTHORIZATION] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    base.username = '';
    base.password = '';
  }
  const url = new URL(path, base);
  const signal = AbortSignal.timeout(timeoutMs);
  let status: number;
  let contentType: string | null;
  let body: Buffer;
  try {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(document), signal });
    status = response.status;
    contentType = response.headers.get(Header.CONTENT_TYPE);
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (signal.aborted) {
      throw new GatewayTimeoutError(`upstream did not answer POST ${url.pathname} within ${timeoutMs} ms`, {
        code: 'ETIMEDOUT',
        cause: error,
      });
    }
    const code = systemCode(error);
    throw new BadGatewayError(`upstream could not be reached for POST ${url.pathname}: ${code}`, {
      code,
      cause: error,
    });
  }
  if (status >= 500 || status === 429) {
    throw new RegistryError(`${status} - POST ${url.pathname}`, {
      status,
      method: 'POST',
      url: url.href,
      body: body.toString('utf8'),
    });
  }
  return { status, headers: { [Header.CONTENT_TYPE]: contentType ?? ContentType.JSON }, body };
}

/** The first `E...` code along the cause chain, where fetch keeps the socket's error. */
function systemCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && code.startsWith('E')) return code;
    current = current.cause;
  }
  return 'ENETWORK';
}
