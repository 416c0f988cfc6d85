import { RegistryClient } from '@myorg/services';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamFetcher } from '../../src/upstream/UpstreamFetcher.ts';
import { UpstreamGate } from '../../src/upstream/UpstreamGate.ts';
import { startUpstreamFixture, type UpstreamFixture } from './support/upstreamFixture.ts';

let upstream: UpstreamFixture;
let now: number;
let fetcher: UpstreamFetcher;

beforeEach(async () => {
  upstream = await startUpstreamFixture();
  await upstream.publish('left-pad', '1.0.0');
  now = 1_000;
  const client = new RegistryClient({ registry: upstream.url, retries: 0 });
  const gate = new UpstreamGate({
    maxConcurrent: 4,
    queueTimeoutMs: 1000,
    failuresBeforeDown: 3,
    downForMs: 1000,
  });
  fetcher = new UpstreamFetcher({ client, gate, now: () => now });
});

afterEach(async () => {
  await upstream.stop();
});

describe('UpstreamFetcher', () => {
  it('fetches a document in the form asked, with its ETag and bytes as received', async () => {
    // Act
    const fetched = await fetcher.fetch('left-pad', 'abbreviated');

    // Assess
    if (fetched.status !== 200) throw new Error(`expected a document, got ${fetched.status}`);
    expect(fetched.copy).toMatchObject({ name: 'left-pad', form: 'abbreviated', checkedAt: 1_000 });
    expect(fetched.copy.etag).toMatch(/^"/);
    expect(fetched.copy.bytes).toBe(fetched.body.byteLength);
    expect(JSON.parse(fetched.body.toString())).toEqual(fetched.copy.document);
    expect(upstream.requests[0]?.accept).toMatch(/^application\/vnd\.npm\.install-v1\+json/);
  });

  it('revalidates a copy by its ETag in its own form: 304 confirms it, a change brings a new copy', async () => {
    // Prepare
    const first = await fetcher.fetch('left-pad', 'full');
    if (first.status !== 200) throw new Error('no document');
    now = 5_000;

    // Act
    const unchanged = await fetcher.revalidate(first.copy);
    await upstream.publish('left-pad', '1.1.0');
    const changed = await fetcher.revalidate(first.copy);

    // Assess
    expect(unchanged).toEqual({ status: 304, copy: first.copy });
    expect(first.copy.checkedAt).toBe(5_000);
    expect(changed.status).toBe(200);
    expect(upstream.requests.map((request) => [request.accept, request.ifNoneMatch])).toEqual([
      ['application/json', undefined],
      ['application/json', first.copy.etag],
      ['application/json', first.copy.etag],
    ]);
  });

  it('answers 404 for a package the upstream lacks', async () => {
    expect(await fetcher.fetch('no-such-package', 'full')).toEqual({ status: 404 });
  });

  it('fails with 502 on a body that is no document of the package', async () => {
    // Prepare
    upstream.documents.set('/odd-pad', { name: 'another', versions: {}, 'dist-tags': {} });

    // Act
    const failure = await fetcher.fetch('odd-pad', 'full').catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({
      status: 502,
      message: 'the upstream registry sent no valid package document for odd-pad',
    });
  });
});
