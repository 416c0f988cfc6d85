import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryStandIn {
  url: string;
  /** The headers of every request received, in order. */
  requests: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/**
 * A loopback npm registry that knows only `packuments` (abbreviated form, keyed by package name)
 * and answers 500 for names listed in `failing`.
 */
export async function startRegistryStandIn(
  packuments: Record<string, unknown>,
  failing: readonly string[] = [],
): Promise<RegistryStandIn> {
  const requests: RegistryStandIn['requests'] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const name = decodeURIComponent(path.slice(1));
    const status = failing.includes(name) ? 500 : name in packuments ? 200 : 404;
    const body = status === 200 ? packuments[name] : { error: status === 404 ? 'not found' : 'boom' };
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
