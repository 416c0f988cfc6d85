import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError } from '@myorg/error';
import { createLogger, type LogRecord, memorySink } from '@myorg/logger';
import { json, redirect, stream, text } from '@myorg/response';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bodyLimit,
  compose,
  createNodeListener,
  errorMapping,
  type Handler,
  type NodeListenerOptions,
  readJson,
  requestId,
} from '../src/index.ts';

interface Running {
  url: string;
  records: LogRecord[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
});

async function serve(handler: Handler, options: Partial<NodeListenerOptions> = {}): Promise<Running> {
  const sink = memorySink();
  const logger = createLogger({ level: 'debug', sink });
  const server = createServer(createNodeListener(handler, { logger, ...options }));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, records: sink.records };
}

/** Polls until `check` holds: server-side effects finish after the client has its answer. */
async function eventually(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !check(); attempt++) await sleep(10);
  expect(check()).toBe(true);
}

describe('createNodeListener', () => {
  it('translates the request and answers JSON with an exact content-length', async () => {
    // Prepare
    const { url } = await serve(async (req) =>
      json(200, {
        method: req.method,
        url: req.url,
        path: req.path,
        write: req.query.get('write'),
        hasBody: req.body !== undefined,
        remoteAddress: req.remoteAddress,
      }),
    );

    // Act
    const response = await fetch(`${url}/@scope%2fpkg?write=true`);
    const body = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(JSON.parse(body)).toEqual({
      method: 'GET',
      url: '/@scope%2fpkg?write=true',
      path: '/@scope%2fpkg',
      write: 'true',
      hasBody: false,
      remoteAddress: '127.0.0.1',
    });
  });

  it('hands the request body over as a stream', async () => {
    // Prepare
    const { url } = await serve(async (req) => json(201, { received: await readJson(req) }));

    // Act
    const response = await fetch(`${url}/pkg`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'pkg', 'dist-tags': { latest: '1.0.0' } }),
    });

    // Assess
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ received: { name: 'pkg', 'dist-tags': { latest: '1.0.0' } } });
  });

  it('takes the client address from X-Forwarded-For only when the proxy is trusted', async () => {
    // Prepare
    const handler: Handler = async (req) => text(200, req.remoteAddress ?? 'none');
    const trusted = await serve(handler, { trustProxy: true });
    const untrusted = await serve(handler);
    const headers = { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' };

    // Act
    const viaProxy = await (await fetch(trusted.url, { headers })).text();
    const direct = await (await fetch(untrusted.url, { headers })).text();
    const withoutHeader = await (await fetch(trusted.url)).text();

    // Assess
    expect(viaProxy).toBe('203.0.113.9');
    expect(direct).toBe('127.0.0.1');
    expect(withoutHeader).toBe('127.0.0.1');
  });

  it('streams an async iterable body chunk by chunk', async () => {
    // Prepare
    async function* chunks() {
      for (const part of ['one ', 'two ', 'three']) {
        await sleep(5);
        yield new TextEncoder().encode(part);
      }
    }
    const { url } = await serve(async () => stream(200, chunks(), { 'content-type': 'text/plain' }));

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(await response.text()).toBe('one two three');
  });

  it('streams a file with the length the handler declares', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'middleware-node-'));
    try {
      const file = join(dir, 'pkg-1.0.0.tgz');
      const content = Buffer.alloc(300_000, 'tarball');
      await writeFile(file, content);
      const { url } = await serve(async () =>
        stream(200, createReadStream(file), {
          'content-type': 'application/octet-stream',
          'content-length': String(content.byteLength),
        }),
      );

      // Act
      const response = await fetch(url);
      const received = Buffer.from(await response.arrayBuffer());

      // Assess
      expect(response.headers.get('content-length')).toBe(String(content.byteLength));
      expect(received.equals(content)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sends responses without a body', async () => {
    // Prepare
    const { url } = await serve(async () => redirect(302, '/pkg/-/pkg-1.0.0.tgz'));

    // Act
    const response = await fetch(url, { redirect: 'manual' });

    // Assess
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/pkg/-/pkg-1.0.0.tgz');
    expect(await response.text()).toBe('');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    // Prepare
    const { url } = await serve(async () => json(200, { name: 'pkg', versions: {} }));

    // Act
    const response = await fetch(url, { method: 'HEAD' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String('{"name":"pkg","versions":{}}'.length));
    expect(await response.text()).toBe('');
  });

  it('releases a streamed body it will not send', async () => {
    // Prepare
    const readable = Readable.from(['never sent']);
    let generatorStarted = false;
    async function* lazy() {
      generatorStarted = true;
      yield new TextEncoder().encode('never sent');
    }
    const { url } = await serve(async (req) =>
      req.path === '/readable'
        ? stream(200, readable, { 'content-type': 'text/plain' })
        : stream(304, lazy(), { etag: '"a"' }),
    );

    // Act
    const head = await fetch(`${url}/readable`, { method: 'HEAD' });
    const notModified = await fetch(`${url}/generator`);

    // Assess
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(notModified.status).toBe(304);
    await eventually(() => readable.destroyed);
    expect(generatorStarted).toBe(false);
  });

  it('stops and closes the source when the client aborts a streamed response', async () => {
    // Prepare
    let closed = false;
    let sent = 0;
    async function* endless() {
      try {
        for (;;) {
          sent++;
          yield new Uint8Array(1024).fill(97);
          await sleep(5);
        }
      } finally {
        closed = true;
      }
    }
    const { url, records } = await serve(async () =>
      stream(200, endless(), { 'content-type': 'text/plain' }),
    );
    const controller = new AbortController();

    // Act
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();

    // Assess
    await eventually(() => closed);
    const sentAtClose = sent;
    await sleep(50);
    expect(sent).toBe(sentAtClose);
    await eventually(() =>
      records.some((record) => record.msg === 'client went away during a streamed response'),
    );
  });

  it('cuts the connection and logs when a stream fails midway', async () => {
    // Prepare
    async function* failing() {
      yield new TextEncoder().encode('partial');
      await sleep(5);
      throw new Error('storage read failed');
    }
    const { url, records } = await serve(async () =>
      stream(200, failing(), { 'content-type': 'text/plain' }),
    );

    // Act
    const response = await fetch(url);
    const reading = response.text();

    // Assess
    await expect(reading).rejects.toThrow();
    await eventually(() => records.some((record) => record.msg === 'streamed response failed'));
  });

  it('rejects a chunked upload once it streams past the limit', async () => {
    // Prepare
    let bytesPulled = 0;
    const { url } = await serve(
      compose(
        errorMapping(),
        bodyLimit(64 * 1024),
      )(async (req) => json(200, { received: await readJson(req) })),
    );
    const chunk = new Uint8Array(16 * 1024).fill(32);
    const upload = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (bytesPulled >= 4 * 1024 * 1024) {
          controller.close();
          return;
        }
        bytesPulled += chunk.byteLength;
        controller.enqueue(chunk);
        await sleep(1);
      },
    });

    // Act
    const response = await fetch(url, { method: 'PUT', body: upload, duplex: 'half' } as RequestInit);

    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: 'request body exceeds the limit of 65536 bytes',
      code: 'E413',
      limit: 65536,
    });
    expect(bytesPulled).toBeLessThan(4 * 1024 * 1024);
  });

  it('drains the rest of a refused upload and keeps the connection for the next request', async () => {
    // Prepare
    const { url } = await serve(
      compose(
        errorMapping(),
        bodyLimit(64 * 1024),
      )(async (req) => (req.method === 'GET' ? json(200, { ok: true }) : json(200, await readJson(req)))),
    );
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
    });
    const chunk = `10000\r\n${' '.repeat(64 * 1024)}\r\n`;

    // Act
    socket.write('PUT /pkg HTTP/1.1\r\nhost: registry\r\ntransfer-encoding: chunked\r\n\r\n');
    for (let i = 0; i < 4; i++) socket.write(chunk);
    socket.write('0\r\n\r\nGET /ok HTTP/1.1\r\nhost: registry\r\n\r\n');
    await eventually(
      () => (answer.match(/HTTP\/1\.1 /g) ?? []).length === 2 && answer.endsWith('{"ok":true}'),
    );
    socket.destroy();

    // Assess
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]);
    expect(statuses).toEqual(['413', '200']);
  });

  it('cuts off a client that keeps sending after its upload was refused', async () => {
    // Prepare
    const { url } = await serve(
      compose(errorMapping(), bodyLimit(1024))(async (req) => json(200, await readJson(req))),
    );
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
    });
    // The reset that ends this connection is expected; `once` would turn it into a rejection.
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const chunk = `10000\r\n${'a'.repeat(64 * 1024)}\r\n`;
    let bytesSent = 0;
    const send = () => {
      for (let accepted = true; accepted && !socket.destroyed; bytesSent += chunk.length) {
        accepted = socket.write(chunk);
      }
    };
    socket.on('drain', send);

    // Act
    socket.write('PUT /pkg HTTP/1.1\r\nhost: registry\r\ntransfer-encoding: chunked\r\n\r\n');
    send();
    await closed;

    // Assess
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    // The server drained up to its 16 MiB bound before hanging up.
    expect(bytesSent).toBeGreaterThan(16 * 1024 * 1024);
  });

  it('rejects a declared length over the limit before reading the body', async () => {
    // Prepare
    const { url } = await serve(compose(errorMapping(), bodyLimit(1024))(async () => json(200, {})));

    // Act
    const response = await fetch(url, { method: 'PUT', body: new Uint8Array(2048) });

    // Assess
    expect(response.status).toBe(413);
    expect(((await response.json()) as { code: string }).code).toBe('E413');
  });

  it('answers 500 JSON without details when the handler throws', async () => {
    // Prepare
    const { url, records } = await serve(async () => {
      throw new Error('secret internals');
    });

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal server error', code: 'E500' });
    expect(records).toEqual([
      expect.objectContaining({ level: 'error', msg: 'unhandled error in request handler', path: '/' }),
    ]);
  });

  it('answers a 500 when the handler throws before returning a promise', async () => {
    // Prepare
    const syncThrow = (() => {
      throw new TypeError('not even async');
    }) as unknown as Handler;
    const { url } = await serve(syncThrow);

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(500);
  });

  it('keeps the status of an AppError that escapes the pipeline', async () => {
    // Prepare
    const { url } = await serve(async () => {
      throw new NotFoundError('no such package');
    });

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no such package', code: 'E404' });
  });

  it('answers a 500 when the response itself cannot be written', async () => {
    // Prepare
    const { url } = await serve(async () => json(200, {}, { 'x-broken': 'line\nbreak' }));

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(500);
    expect(response.headers.get('x-broken')).toBeNull();
  });

  it('refuses oversized request headers with 431', async () => {
    // Prepare
    const { url } = await serve(async () => json(200, {}), { maxHeaderBytes: 1024 });

    // Act
    const small = await fetch(url);
    const large = await fetch(url, { headers: { 'x-padding': 'p'.repeat(2000) } });

    // Assess
    expect(small.status).toBe(200);
    expect(large.status).toBe(431);
    expect(((await large.json()) as { code: string }).code).toBe('E431');
  });

  it('echoes the request id through the whole stack', async () => {
    // Prepare
    const { url } = await serve(compose(requestId(), errorMapping())(async () => json(200, {})));

    // Act
    const response = await fetch(url, { headers: { 'x-request-id': 'trace-123' } });

    // Assess
    expect(response.headers.get('x-request-id')).toBe('trace-123');
  });
});
