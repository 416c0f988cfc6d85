import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { makeTarball, sha1Hex, sha512Integrity } from './fixtures.ts';

/** A package the fixture upstream serves: each version and how long ago it was released. */
export interface FixturePackage {
  name: string;
  /** Version → age in ms at the time the fixture starts. */
  versions: Record<string, number>;
  latest: string;
}

export interface FixtureUpstream {
  /** Base URL with a trailing slash, for REGISTRY_UPSTREAM. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * An upstream registry on loopback serving fixed packuments (the full form, whatever the client
 * accepts, as some registries do) whose `time` fields say when each version was released, and
 * their tarballs, made by tar with a package.json each.
 */
export async function startFixtureUpstream(packages: readonly FixturePackage[]): Promise<FixtureUpstream> {
  const documents = new Map<string, Buffer>();
  const tarballs = new Map<string, Buffer>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '/').slice(1);
    const body = documents.get(path) ?? tarballs.get(path);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      return;
    }
    const type = tarballs.has(path) ? 'application/octet-stream' : 'application/json';
    res.writeHead(200, { 'content-type': type, 'content-length': String(body.length) }).end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const now = Date.now();
  for (const fixture of packages) {
    const versions: Record<string, unknown> = {};
    const time: Record<string, string> = {};
    for (const [version, age] of Object.entries(fixture.versions)) {
      const manifest = { name: fixture.name, version };
      const tarball = await makeTarball({ 'package.json': JSON.stringify(manifest) });
      const path = `${fixture.name}/-/${fixture.name.replace(/^@.*\//, '')}-${version}.tgz`;
      tarballs.set(path, tarball);
      versions[version] = {
        ...manifest,
        dist: { tarball: `${url}${path}`, integrity: sha512Integrity(tarball), shasum: sha1Hex(tarball) },
      };
      time[version] = new Date(now - age).toISOString();
    }
    const released = Object.values(time).sort();
    const document = {
      name: fixture.name,
      'dist-tags': { latest: fixture.latest },
      versions,
      time: { created: released[0], modified: released.at(-1), ...time },
    };
    documents.set(fixture.name, Buffer.from(JSON.stringify(document)));
  }

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
