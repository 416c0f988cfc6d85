import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { noopLogger } from '@myorg/logger';
import { createNodeListener } from '@myorg/middleware';
import { MemoryStorage } from '@myorg/storage';
import { afterEach, beforeEach } from 'vitest';
import { createRegistry } from '../../../src/createRegistry.ts';
import { publishBody } from '../../support/publishBody.ts';
import { testAuth, WRITER_TOKEN } from '../../support/testAuth.ts';

/** How the fixture answers: as the registry behind it, with 500s, or never. */
export type UpstreamMode = 'serve' | 'fail' | 'hang';

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  accept: string | undefined;
  ifNoneMatch: string | undefined;
  authorization: string | undefined;
  /** The status the fixture answered with (0 while hanging). */
  status: number;
  /** The body, for POSTs. */
  body: Buffer;
}

export interface UpstreamFixture {
  /** Base URL with a trailing slash. */
  readonly url: string;
  /** The real registry's storage behind the fixture: tests tamper with stored bytes here. */
  readonly storage: MemoryStorage;
  readonly requests: RecordedRequest[];
  mode: UpstreamMode;
  /** Documents served as they are at these paths (`/odd-pad`), in place of the registry's answer. */
  readonly documents: Map<string, unknown>;
  /** Answers audit POSTs; by default `{}` with 200. */
  audit: (body: Buffer) => { status: number; body: unknown };
  /** Publishes a version (a small generated tarball unless given) to the registry behind the fixture, unrecorded. */
  publish(name: string, version: string, manifest?: Record<string, unknown>, tarball?: Buffer): Promise<void>;
  /** Unpublishes every version of `name` on the registry behind the fixture, unrecorded. */
  unpublish(name: string): Promise<void>;
  /** Recorded requests whose `METHOD path` starts with `prefix` (e.g. `GET /left-pad`). */
  count(prefix: string): number;
  /** Stops listening: connections are then refused. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

/**
 * A loopback upstream: one of our own registries (in memory) behind a front that records every
 * request and can be switched to fail (500) or hang, or be stopped (connection refused).
 */
export async function startUpstreamFixture(): Promise<UpstreamFixture> {
  const storage = new MemoryStorage();
  const registry = createNodeListener(createRegistry({ storage, auth: testAuth(), publicRead: true }), {
    logger: noopLogger,
  });
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let recording = true;

  const fixture: UpstreamFixture = {
    url: '',
    storage,
    requests,
    documents: new Map(),
    mode: 'serve',
    audit: () => ({ status: 200, body: {} }),
    async publish(name, version, manifest = {}, tarball = undefined) {
      recording = false;
      try {
        const response = await fetch(`${fixture.url}${name.replace('/', '%2f')}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${WRITER_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(publishBody(name, version, { manifest, ...(tarball && { tarball }) })),
        });
        if (response.status !== 201) throw new Error(`publish ${name}@${version}: ${await response.text()}`);
      } finally {
        recording = true;
      }
    },
    async unpublish(name) {
      recording = false;
      try {
        const path = `${fixture.url}${name.replace('/', '%2f')}`;
        const { _rev } = (await (await fetch(path)).json()) as { _rev: string };
        const response = await fetch(`${path}/-rev/${_rev}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${WRITER_TOKEN}` },
        });
        if (response.status !== 200) throw new Error(`unpublish ${name}: ${await response.text()}`);
      } finally {
        recording = true;
      }
    },
    count: (prefix) =>
      requests.filter((request) => `${request.method} ${request.url}`.startsWith(prefix)).length,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
    restart: () => listen(port),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const isPost = req.method === 'POST';
    if (isPost) for await (const chunk of req) chunks.push(chunk as Buffer);
    const record: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      accept: req.headers.accept,
      ifNoneMatch: req.headers['if-none-match'],
      authorization: req.headers.authorization,
      status: 0,
      body: Buffer.concat(chunks),
    };
    if (recording) requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    if (fixture.mode === 'hang') return;
    if (fixture.mode === 'fail') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"upstream broke"}');
      return;
    }
    if (isPost && req.url?.startsWith('/-/npm/v1/security/')) {
      const answer = fixture.audit(record.body);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      return;
    }
    const document = fixture.documents.get(req.url ?? '');
    if (document !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
      return;
    }
    registry(req, res);
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (onPort: number) =>
    new Promise<void>((resolve) => server.listen(onPort, '127.0.0.1', () => resolve()));
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  (fixture as { url: string }).url = `http://127.0.0.1:${port}/`;
  return fixture;
}

/**
 * Before each test of the calling file: an upstream serving left-pad@1.0.0, and an empty temp
 * directory for a file-system storage; both go after the test. Read them while a test runs.
 */
export function leftPadUpstreamPerTest(directoryPrefix: string): {
  readonly upstream: UpstreamFixture;
  readonly directory: string;
} {
  let current: { upstream: UpstreamFixture; directory: string } | undefined;
  beforeEach(async () => {
    const upstream = await startUpstreamFixture();
    const directory = await mkdtemp(join(tmpdir(), directoryPrefix));
    current = { upstream, directory };
    await upstream.publish('left-pad', '1.0.0');
  });
  afterEach(async () => {
    if (current === undefined) return;
    await current.upstream.stop();
    await rm(current.directory, { recursive: true, force: true });
    current = undefined;
  });
  const running = () => {
    if (current === undefined) throw new Error('the upstream only runs while a test runs');
    return current;
  };
  return {
    get upstream() {
      return running().upstream;
    },
    get directory() {
      return running().directory;
    },
  };
}

/** The bytes of a tarball the proxy sends, from memory or streamed from storage. */
export async function bytesOf(body: Uint8Array | Readable): Promise<Buffer> {
  return body instanceof Uint8Array ? Buffer.from(body) : buffer(body);
}

export interface PausingUpstream {
  /** Base URL with a trailing slash. */
  readonly url: string;
  /** Sends the rest of the tarball. */
  resume(): void;
  stop(): Promise<void>;
}

/**
 * An upstream of one package, `name@1.0.0`, whose document promises the digest of `tarball`: it
 * sends the first half of `sent` (by default `tarball`) with the full length, then waits for
 * `resume` to send the rest, so a test can look at a download in the middle.
 */
export async function startPausingUpstream(
  name: string,
  tarball: Buffer,
  sent: Buffer = tarball,
): Promise<PausingUpstream> {
  let resume: () => void = () => undefined;
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const file = `/${name}/-/${name}-1.0.0.tgz`;
    if (req.url === file) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': sent.byteLength });
      const half = Math.floor(sent.byteLength / 2);
      res.write(sent.subarray(0, half));
      void resumed.then(() => res.end(sent.subarray(half)));
      return;
    }
    if (req.url !== `/${name}`) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dist = {
      integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
      tarball: `${base}${file}`,
    };
    const document = {
      name,
      'dist-tags': { latest: '1.0.0' },
      versions: { '1.0.0': { name, version: '1.0.0', dist } },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    resume,
    stop: () =>
      new Promise<void>((resolve) => {
        resume();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
