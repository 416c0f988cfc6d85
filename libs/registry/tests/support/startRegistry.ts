import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noopLogger } from '@myorg/logger';
import { createNodeListener } from '@myorg/middleware';
import { MemoryStorage, type ObjectStorage } from '@myorg/storage';
import { type CreateRegistryOptions, createRegistry } from '../../src/createRegistry.ts';
import { comparableBody } from './comparableBody.ts';
import { testAuth, WRITER_TOKEN } from './testAuth.ts';

export interface TestRegistry {
  url: string;
  storage: ObjectStorage;
  /** fetch against the registry; `token` adds `Authorization: Bearer <token>`, `json` a JSON body. */
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** Every stored object as key → bytes (hex of sha1 would hide nothing here: the objects are small). */
  snapshot(): Promise<Map<string, string>>;
  /** A GET whose body is returned exactly as sent (fetch would decompress it). */
  raw(
    path: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>;
  close(): Promise<void>;
}

/**
 * The registry on a real HTTP server on 127.0.0.1 with a random port. Reads are public unless a
 * test says otherwise (`publicRead: false`): most tests read anonymously as a mirror client would.
 */
export async function startRegistry(options: Partial<CreateRegistryOptions> = {}): Promise<TestRegistry> {
  const storage = options.storage ?? new MemoryStorage();
  const handler = createRegistry({ auth: testAuth(), publicRead: true, ...options, storage });
  const server: Server = createServer(createNodeListener(handler, { logger: noopLogger }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    storage,
    request(path, init = {}) {
      const { token, json, headers, ...rest } = init;
      const merged = new Headers(headers);
      if (token !== undefined) merged.set('authorization', `Bearer ${token}`);
      if (json !== undefined) merged.set('content-type', 'application/json');
      return fetch(`${url}${path}`, {
        ...rest,
        headers: merged,
        body: json === undefined ? rest.body : JSON.stringify(json),
      });
    },
    async snapshot() {
      const objects = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const page = await storage.list({ cursor });
        for (const object of page.objects) {
          const stored = await storage.get(object.key);
          if (stored) objects.set(object.key, comparableBody(object.key, stored.body).toString('base64'));
        }
        cursor = page.cursor;
      } while (cursor !== undefined);
      return objects;
    },
    raw(path, headers = {}) {
      return new Promise((resolve, reject) => {
        const req = httpRequest(`${url}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** PUTs a publish body as `npm publish` does. */
export function publish(
  registry: TestRegistry,
  body: { name: string },
  token = WRITER_TOKEN,
): Promise<Response> {
  return registry.request(`/${body.name.replace('/', '%2f')}`, { method: 'PUT', token, json: body });
}

/** `npm login` of a local user (legacy PUT): the token it hands out. */
export async function login(registry: TestRegistry, name: string, password: string): Promise<string> {
  const response = await registry.request(`/-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    json: { name, password },
  });
  if (response.status !== 201)
    throw new Error(`login of ${name}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
