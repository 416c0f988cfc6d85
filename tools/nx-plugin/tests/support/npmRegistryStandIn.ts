import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback npm registry for unit tests, with just what `npm publish` and a packument check use:
 * `GET /<name>` answers the packument (404 `not_found` when unknown) and `PUT /<name>` stores new
 * versions, 409 when a version exists. Every request needs `Authorization: Bearer <token>`.
 * `failPublish` makes the next publishes answer with a canned status instead.
 */
export interface NpmRegistryStandIn {
  url: string;
  token: string;
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** name → versions stored */
  versions: Map<string, Set<string>>;
  failPublish: { status: number; body: unknown }[];
  close(): Promise<void>;
}

function send(response: import('node:http').ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startNpmRegistryStandIn(
  options: { prefix?: string } = {},
): Promise<NpmRegistryStandIn> {
  const prefix = options.prefix ?? '/';
  const token = `token-${Math.random().toString(36).slice(2)}`;
  const versions = new Map<string, Set<string>>();
  const requests: NpmRegistryStandIn['requests'] = [];
  const failPublish: NpmRegistryStandIn['failPublish'] = [];

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      const url = request.url ?? '';
      if (!url.startsWith(prefix)) return send(response, 404, { error: 'not_found' });
      if (request.headers.authorization !== `Bearer ${token}`) {
        return send(response, 401, { error: 'authentication required' });
      }
      const name = decodeURIComponent(url.slice(prefix.length).split('/-/')[0] ?? '');
      const known = versions.get(name);
      if (request.method === 'GET') {
        if (!known) return send(response, 404, { error: 'not_found' });
        const entries = [...known].map((version) => [version, { name, version }]);
        return send(response, 200, { name, versions: Object.fromEntries(entries) });
      }
      if (request.method === 'PUT') {
        const canned = failPublish.shift();
        if (canned) return send(response, canned.status, canned.body);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          versions: Record<string, unknown>;
        };
        const stored = known ?? new Set<string>();
        for (const version of Object.keys(body.versions)) {
          if (stored.has(version)) return send(response, 409, { error: 'EPUBLISHCONFLICT' });
          stored.add(version);
        }
        versions.set(name, stored);
        return send(response, 201, { ok: true });
      }
      return send(response, 405, { error: 'method not allowed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    token,
    requests,
    versions,
    failPublish,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
