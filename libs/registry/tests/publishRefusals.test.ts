import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ErrorJson, json } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';
import { makeTarball } from './support/tarball.ts';
import { OTHER_WRITER_TOKEN, READER_TOKEN, WRITER_TOKEN } from './support/testAuth.ts';

type Body = ReturnType<typeof publishBody>;

/** A publish of demo@2.0.0 (a new version of a stored package), changed by `change`. */
function changed(change: (body: Body) => void, name = 'demo'): Body {
  const body = publishBody(name, '2.0.0');
  change(body);
  return body;
}

const attachment = (body: Body) => body._attachments[`${body.name}-2.0.0.tgz`]!;

interface Refusal {
  what: string;
  status: number;
  error: RegExp;
  path?: string;
  token?: string;
  /** A JSON value to send, or raw text. */
  body: unknown;
  raw?: boolean;
}

const refusals: Refusal[] = [
  {
    what: 'malformed JSON',
    status: 400,
    error: /not valid JSON/,
    body: '{"name": "demo", "versions": {',
    raw: true,
  },
  { what: 'an empty body', status: 400, error: /empty/, body: '', raw: true },
  { what: 'a JSON array', status: 400, error: /must be a JSON object/, body: [1, 2] },
  {
    what: 'versions of the wrong type',
    status: 400,
    error: /exactly one version/,
    body: changed((b) => Object.assign(b, { versions: [] })),
  },
  {
    what: 'an attachment with numeric data',
    status: 400,
    error: /base64 "data"/,
    body: changed((b) => Object.assign(attachment(b), { data: 42 })),
  },
  {
    what: 'a name in the body other than the URL',
    status: 400,
    error: /does not match the name in the body/,
    body: changed((b) => (b.name = 'other')),
  },
  {
    what: 'a manifest for another package',
    status: 400,
    error: /package.json name/,
    body: changed((b) => (b.versions['2.0.0']!.name = 'other')),
  },
  {
    what: 'a traversal name in the URL',
    status: 400,
    error: /invalid package name/,
    path: '/..%2f..%2fetc',
    body: publishBody('demo', '2.0.0'),
  },
  {
    what: 'a traversal name in the URL and body alike',
    status: 400,
    error: /invalid package name/,
    path: '/..%2fevil',
    body: changed((b) => (b.name = '../evil')),
  },
  {
    what: 'an upper-case name',
    status: 400,
    error: /capital letters/,
    path: '/Demo',
    body: publishBody('Demo', '2.0.0'),
  },
  {
    what: 'a traversal attachment name',
    status: 400,
    error: /attachment is named/,
    body: changed((b) => (b._attachments = { '../../../etc/demo-2.0.0.tgz': attachment(b) })),
  },
  {
    what: 'an attachment for another version',
    status: 400,
    error: /expected demo-2.0.0.tgz/,
    body: changed((b) => (b._attachments = { 'demo-1.0.0.tgz': attachment(b) })),
  },
  {
    what: 'a non-gzip attachment',
    status: 400,
    error: /not a gzip file/,
    body: changed((b) => {
      const plain = Buffer.from('#!/bin/sh\necho not a tarball\n');
      Object.assign(attachment(b), { data: plain.toString('base64'), length: plain.length });
    }),
  },
  {
    what: 'a truncated gzip attachment with matching hashes',
    status: 400,
    error: /damaged or incomplete gzip/,
    body: publishBody('demo', '2.0.0', {
      tarball: makeTarball({ 'package.json': '{"name":"demo"}', 'noise.bin': randomBytes(4096) }).subarray(
        0,
        1000,
      ),
    }),
  },
  {
    what: 'a gzip attachment that holds no tar',
    status: 400,
    error: /holds no tar archive/,
    body: publishBody('demo', '2.0.0', { tarball: gzipSync(Buffer.alloc(4096, 'x')) }),
  },
  {
    what: 'a wrong sha1',
    status: 400,
    error: /shasum mismatch/,
    body: changed((b) => (b.versions['2.0.0']!.dist.shasum = '0'.repeat(40))),
  },
  {
    what: 'a wrong sha512',
    status: 400,
    error: /integrity mismatch/,
    body: changed((b) => {
      const other = publishBody('demo', '2.0.0', { tarball: makeTarball({ 'package.json': '{}' }) });
      b.versions['2.0.0']!.dist.integrity = other.versions['2.0.0']!.dist.integrity;
    }),
  },
  {
    what: 'a bad hash for a package not published yet',
    status: 400,
    error: /shasum mismatch/,
    path: '/fresh',
    body: changed((b) => (b.versions['2.0.0']!.dist.shasum = '0'.repeat(40)), 'fresh'),
  },
  {
    what: 'two versions at once',
    status: 400,
    error: /exactly one version/,
    body: changed((b) => Object.assign(b.versions, { '2.0.1': b.versions['2.0.0'] })),
  },
  {
    what: 'an already published version',
    status: 409,
    error: /cannot publish over the previously published versions: 1.0.0/,
    body: publishBody('demo', '1.0.0'),
  },
  {
    what: 'a publish by someone who does not maintain the package',
    status: 403,
    error: /bob is not a maintainer of demo/,
    token: OTHER_WRITER_TOKEN,
    body: publishBody('demo', '2.0.0'),
  },
  {
    what: 'JSON nested deeper than 64 levels',
    status: 400,
    error: /nests deeper than 64 levels/,
    body: changed((b) =>
      Object.assign(b.versions['2.0.0']!, { nested: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) }),
    ),
  },
  {
    what: 'an anonymous publish',
    status: 401,
    error: /authentication required/,
    token: '',
    body: publishBody('demo', '2.0.0'),
  },
  {
    what: 'an unknown token',
    status: 401,
    error: /authentication required/,
    token: 'made-up',
    body: publishBody('demo', '2.0.0'),
  },
  {
    what: 'a read-only token',
    status: 403,
    error: /read-only/,
    token: READER_TOKEN,
    body: publishBody('demo', '2.0.0'),
  },
];

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry({ maxBodyBytes: 256 * 1024 });
  expect((await publish(registry, publishBody('demo', '1.0.0'))).status).toBe(201);
});

afterAll(async () => {
  await registry.close();
});

/** Sends a body in chunks without Content-Length, so only the streaming check can catch its size. */
function chunkedPut(
  path: string,
  chunks: number,
  chunkSize: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${registry.url}${path}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${WRITER_TOKEN}`,
        'content-type': 'application/json',
        'transfer-encoding': 'chunked',
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    // The server may answer and close before every chunk is written.
    req.on('error', reject);
    let sent = 0;
    const writeNext = () => {
      while (sent < chunks) {
        sent += 1;
        if (!req.write(Buffer.alloc(chunkSize, 0x20))) return void req.once('drain', writeNext);
      }
      req.end();
    };
    writeNext();
  });
}

describe('refused publishes leave storage as it was', () => {
  for (const refusal of refusals) {
    it(`answers ${refusal.status} to ${refusal.what}`, async () => {
      // Prepare
      const before = await registry.snapshot();
      const token = refusal.token ?? WRITER_TOKEN;

      // Act
      const response = await registry.request(refusal.path ?? '/demo', {
        method: 'PUT',
        token: token === '' ? undefined : token,
        ...(refusal.raw
          ? { body: refusal.body as string, headers: { 'content-type': 'application/json' } }
          : { json: refusal.body }),
      });

      // Assess
      expect(response.status).toBe(refusal.status);
      expect((await json<ErrorJson>(response)).error).toMatch(refusal.error);
      expect(await registry.snapshot()).toEqual(before);
      expect((await registry.request('/-/ping')).status).toBe(200);
    });
  }

  it('asks anonymous writers to authenticate', async () => {
    // Act
    const response = await registry.request('/demo', { method: 'PUT', json: publishBody('demo', '2.0.0') });

    // Assess
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 413 to a body declared larger than the limit', async () => {
    // Prepare
    const before = await registry.snapshot();
    const big = publishBody('demo', '2.0.0', {
      tarball: makeTarball({ 'blob.bin': Buffer.alloc(400 * 1024, 7) }),
    });
    // A gzip of repeated bytes is tiny: make the JSON itself big instead.
    Object.assign(big.versions['2.0.0']!, { padding: 'x'.repeat(300 * 1024) });

    // Act
    const response = await publish(registry, big);

    // Assess
    expect(response.status).toBe(413);
    expect(await registry.snapshot()).toEqual(before);
  });

  it('answers 413 while a body without a declared length streams in', async () => {
    // Prepare
    const before = await registry.snapshot();

    // Act
    const response = await chunkedPut('/demo', 64, 16 * 1024);

    // Assess
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error).toMatch(/exceeds the limit/);
    expect(await registry.snapshot()).toEqual(before);
    expect((await registry.request('/-/ping')).status).toBe(200);
  });
});

describe('the part of a publish body held in memory', () => {
  let small: TestRegistry;

  beforeAll(async () => {
    small = await startRegistry({ maxBodyBytes: 1024 ** 2, maxDocumentBytes: 64 * 1024 });
  });

  afterAll(async () => {
    await small.close();
  });

  it('answers 413 to a manifest beyond maxDocumentBytes and stores nothing', async () => {
    // Prepare
    const body = publishBody('padded', '1.0.0', { manifest: { padding: 'x'.repeat(100 * 1024) } });

    // Act
    const response = await publish(small, body);

    // Assess
    expect(response.status).toBe(413);
    expect((await json<ErrorJson>(response)).error).toMatch(
      /65536 bytes for everything but the tarball data/,
    );
    expect(await small.snapshot()).toEqual(new Map());
  });

  it('does not count the tarball data against it', async () => {
    // Prepare: random bytes stay as large once gzipped
    const body = publishBody('weighty', '1.0.0', {
      tarball: makeTarball({
        'package.json': '{"name":"weighty","version":"1.0.0"}',
        'blob.bin': randomBytes(300 * 1024),
      }),
    });

    // Act
    const response = await publish(small, body);

    // Assess
    expect(response.status).toBe(201);
    expect([...(await small.snapshot()).keys()].filter((key) => key.startsWith('pending/'))).toEqual([]);
  });
});
