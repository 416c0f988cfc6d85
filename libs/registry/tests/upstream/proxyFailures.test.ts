import { createLogger, memorySink, noopLogger } from '@myorg/logger';
import { FileSystemStorage, MemoryStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { UpstreamProxy, type UpstreamProxyOptions } from '../../src/upstream/UpstreamProxy.ts';
import { bytesOf, leftPadUpstreamPerTest } from './support/upstreamFixture.ts';

const BASE = 'http://registry.test';
const fixture = leftPadUpstreamPerTest('upstream-failures-');

function proxy(options: Partial<UpstreamProxyOptions> = {}): UpstreamProxy {
  return new UpstreamProxy({
    url: fixture.upstream.url,
    storage: new MemoryStorage(),
    logger: noopLogger,
    ...options,
  });
}

async function failureOf(
  promise: Promise<unknown>,
): Promise<{ status: number; code: string; message: string; headers: Record<string, string> }> {
  return (await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  )) as { status: number; code: string; message: string; headers: Record<string, string> };
}

describe('when the upstream fails', () => {
  it.each([
    // A pooled connection the upstream closed may fail before a new one is refused.
    ['refuses connections', () => fixture.upstream.stop(), /^(ECONNREFUSED|ECONNRESET|ENETWORK)$/],
    [
      'answers 500',
      async () => {
        fixture.upstream.mode = 'fail';
      },
      /^HTTP 500$/,
    ],
  ])('serves the cached copy marked stale when the upstream %s', async (_case, breakUpstream, reason) => {
    // Prepare
    const sink = memorySink();
    const subject = proxy({ maxAgeMs: 0, logger: createLogger({ sink, level: 'debug' }) });
    const fresh = await subject.packument('left-pad', 'abbreviated', BASE);
    const tarball = await subject.openTarball('left-pad', '1.0.0');
    const bytes = await bytesOf(tarball!.body);
    await breakUpstream();

    // Act
    const stale = await subject.packument('left-pad', 'abbreviated', BASE);
    const cachedTarball = await subject.openTarball('left-pad', '1.0.0');

    // Assess
    expect(stale?.stale).toBe(true);
    expect(stale?.body.etag).toBe(fresh?.body.etag);
    expect((await bytesOf(cachedTarball!.body)).equals(bytes)).toBe(true);
    const logged = sink.records.find((record) => record.msg === 'upstream failed: serving the cached copy');
    expect(logged?.reason).toMatch(reason);
  });

  it('answers 503 at once when nothing is cached and the upstream refuses connections', async () => {
    // Prepare
    await fixture.upstream.stop();
    const subject = proxy();
    const started = performance.now();

    // Act
    const packument = await failureOf(subject.packument('left-pad', 'full', BASE));
    const tarball = await failureOf(subject.openTarball('left-pad', '1.0.0'));

    // Assess
    expect(performance.now() - started).toBeLessThan(1000);
    expect(packument).toMatchObject({ status: 503, code: 'ECONNREFUSED' });
    expect(packument.message).toBe(
      'the upstream registry is unavailable (ECONNREFUSED) and left-pad is not cached by this registry: try again later',
    );
    expect(tarball.status).toBe(503);
  });

  it('answers 504 after the configured timeout when the upstream hangs, and nothing is cached', async () => {
    // Prepare
    fixture.upstream.mode = 'hang';
    const subject = proxy({ timeoutMs: 200 });
    const started = performance.now();

    // Act
    const failure = await failureOf(subject.packument('left-pad', 'full', BASE));

    // Assess
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2000);
    expect(failure).toMatchObject({ status: 504, code: 'ETIMEDOUT' });
    expect(failure.message).toMatch(
      /^the upstream registry did not answer in time \(ETIMEDOUT\) and left-pad/,
    );
  });

  it('serves the cached copy after the timeout when the upstream hangs on revalidation', async () => {
    // Prepare
    const subject = proxy({ timeoutMs: 200, maxAgeMs: 0 });
    await subject.packument('left-pad', 'full', BASE);
    fixture.upstream.mode = 'hang';

    // Act
    const stale = await subject.packument('left-pad', 'full', BASE);

    // Assess
    expect(stale?.stale).toBe(true);
  });

  it('marks a failing upstream down, so later requests fail at once without reaching it', async () => {
    // Prepare
    fixture.upstream.mode = 'hang';
    let now = 5_000_000;
    const subject = proxy({ timeoutMs: 150, failuresBeforeDown: 2, downForMs: 30_000, now: () => now });
    await failureOf(subject.packument('a-pkg', 'full', BASE));
    await failureOf(subject.packument('b-pkg', 'full', BASE));
    const reached = fixture.upstream.requests.length;

    // Act
    const started = performance.now();
    const down = await failureOf(subject.packument('c-pkg', 'full', BASE));
    const elapsed = performance.now() - started;

    // Assess
    expect(reached).toBe(2);
    expect(fixture.upstream.requests).toHaveLength(2);
    expect(elapsed).toBeLessThan(50);
    expect(down).toMatchObject({ status: 503, code: 'EUPSTREAMDOWN', headers: { 'retry-after': '30' } });
    expect(down.message).toMatch(/upstream marked down after 2 failed requests; next attempt in 30 s/);

    // Act: once the period is over and the upstream is back, one probe closes the breaker.
    fixture.upstream.mode = 'serve';
    now += 30_000;
    const recovered = await subject.packument('left-pad', 'full', BASE);

    // Assess
    expect(recovered?.stale).toBe(false);
  });

  it('keeps a slow upstream from holding more than its share of connections', async () => {
    // Prepare: two slots, both taken by requests the upstream never answers.
    fixture.upstream.mode = 'hang';
    const subject = proxy({ timeoutMs: 300, maxConcurrent: 2, failuresBeforeDown: 100 });
    const hanging = [subject.packument('a-pkg', 'full', BASE), subject.packument('b-pkg', 'full', BASE)];

    // Act
    const queued = await failureOf(subject.packument('c-pkg', 'full', BASE));
    await Promise.allSettled(hanging);

    // Assess: the third never reached the upstream; it gave up waiting for a slot.
    expect(queued).toMatchObject({ status: 504, code: 'EUPSTREAMBUSY' });
    expect(fixture.upstream.requests.map((request) => request.url)).toEqual(['/a-pkg', '/b-pkg']);
  });
});

describe('the durable cache', () => {
  it('serves what an earlier process fetched, without asking the upstream while it is fresh', async () => {
    // Prepare
    const storage = new FileSystemStorage(fixture.directory);
    const first = proxy({ storage });
    await first.packument('left-pad', 'abbreviated', BASE);
    await bytesOf((await first.openTarball('left-pad', '1.0.0'))!.body);
    const requestsBefore = fixture.upstream.requests.length;

    // Act
    const second = proxy({ storage, maxAgeMs: 3_600_000 });
    const packument = await second.packument('left-pad', 'abbreviated', BASE);
    const tarball = await second.openTarball('left-pad', '1.0.0');

    // Assess
    expect(packument?.stale).toBe(false);
    expect(tarball).toBeDefined();
    await bytesOf(tarball!.body);
    expect(fixture.upstream.requests).toHaveLength(requestsBefore);
  });

  it('revalidates what an earlier process stored with its ETag, and serves it stale while the upstream is gone', async () => {
    // Prepare
    const storage = new FileSystemStorage(fixture.directory);
    await proxy({ storage }).packument('left-pad', 'full', BASE);
    const revalidating = proxy({ storage, maxAgeMs: 0 });

    // Act
    const confirmed = await revalidating.packument('left-pad', 'full', BASE);
    await fixture.upstream.stop();
    const offline = await proxy({ storage, maxAgeMs: 0 }).packument('left-pad', 'full', BASE);

    // Assess
    expect(confirmed?.stale).toBe(false);
    expect(fixture.upstream.requests.map((request) => request.status)).toEqual([200, 304]);
    expect(offline?.stale).toBe(true);
    expect(offline?.body.etag).toBe(confirmed?.body.etag);
  });

  it('serves a copy another instance stored since this one found none, while the upstream fails', async () => {
    // Prepare: both share one storage; the first looks while the upstream fails and nothing is stored.
    const storage = new FileSystemStorage(fixture.directory);
    const first = proxy({ storage });
    fixture.upstream.mode = 'fail';
    const before = await failureOf(first.packument('left-pad', 'abbreviated', BASE));
    fixture.upstream.mode = 'serve';
    await proxy({ storage }).packument('left-pad', 'abbreviated', BASE);
    fixture.upstream.mode = 'fail';

    // Act
    const later = await first.packument('left-pad', 'abbreviated', BASE);

    // Assess
    expect(before.status).toBe(503);
    expect(later?.stale).toBe(true);
    expect(JSON.parse(later!.body.bytes.toString()).name).toBe('left-pad');
  });

  it('ignores an unreadable record and fetches the document again', async () => {
    // Prepare
    const storage = new MemoryStorage();
    await storage.put('upstream/packuments/left-pad/full.json', '{"etag":"x","packument":{"name":"other"}}');

    // Act
    const served = await proxy({ storage }).packument('left-pad', 'full', BASE);

    // Assess
    expect(served?.stale).toBe(false);
    expect(fixture.upstream.requests.map((request) => request.ifNoneMatch)).toEqual([undefined]);
  });
});
