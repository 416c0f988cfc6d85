import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registryFixture } from './registryFixture.ts';

export interface RegistryStandIn {
  url: string;
  /** Paths (with query) of the requests received, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A loopback npm registry serving the fixture's packuments and `/-/v1/search` over them, with the
 * CORS header a registry needs for a UI on another origin. `/-/fail/...` answers 500.
 */
export async function startRegistryStandIn(fixture = registryFixture()): Promise<RegistryStandIn> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '/');
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const send = (status: number, body: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
        .end(JSON.stringify(body));
    if (url.pathname === '/-/v1/search') {
      const words = (url.searchParams.get('text') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const from = Number(url.searchParams.get('from') ?? 0);
      const size = Number(url.searchParams.get('size') ?? 20);
      const matches = Object.values(fixture.packuments)
        .filter((doc) => words.every((word) => `${doc.name} ${doc.description}`.toLowerCase().includes(word)))
        .map((doc) => {
          const latest = (doc['dist-tags'] as Record<string, string>).latest as string;
          const name = doc.name as string;
          const times = doc.time as Record<string, string>;
          return {
            package: {
              name,
              version: latest,
              description: doc.description,
              keywords: fixture.keywords[name],
              date: times[latest],
            },
          };
        });
      send(200, {
        objects: matches.slice(from, from + size),
        total: matches.length,
        time: new Date().toUTCString(),
      });
      return;
    }
    if (url.pathname.startsWith('/-/fail/')) {
      send(500, { error: 'stand-in failure' });
      return;
    }
    const doc = fixture.packuments[decodeURIComponent(url.pathname.slice(1))];
    if (doc) send(200, doc);
    else send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
