import { mkdir, readFile, rename, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { noopLogger } from '@myorg/logger';
import { FileSystemStorage } from '@myorg/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { type RegistryEvent, RegistryEvents } from '../../src/events/RegistryEvents.ts';
import { json } from '../support/json.ts';
import { parseScrape } from '../support/prometheus.ts';
import { publishBody } from '../support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from '../support/startRegistry.ts';
import { OTHER_WRITER_TOKEN } from '../support/testAuth.ts';
import { leftPadUpstreamPerTest } from '../upstream/support/upstreamFixture.ts';

const fixture = leftPadUpstreamPerTest('registry-health-');
let registry: TestRegistry | undefined;

afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

/** The registry on a file-system storage in the test's directory, proxying the loopback upstream. */
async function start(options: { metricsToken?: string; publicRead?: boolean } = {}): Promise<TestRegistry> {
  registry = await startRegistry({
    storage: new FileSystemStorage(join(fixture.directory, 'data')),
    upstream: { url: fixture.upstream.url, privateScopes: ['@myorg'] },
    ...options,
  });
  return registry;
}

async function scrape(subject: TestRegistry, token?: string) {
  const response = await subject.request('/-/metrics', token === undefined ? {} : { token });
  expect(response.status).toBe(200);
  return parseScrape(await response.text());
}

const REQUESTS = 'registry_http_request_duration_seconds_count';

interface HealthBody {
  status: string;
  version: string;
  storage: { status: string; reason?: string; checkedAt: string };
  upstream?: { breaker: string; consecutiveFailures: number; lastFailure?: { at: string; reason: string } };
}

describe('GET /-/metrics', () => {
  it('counts a known workload exactly: requests by route pattern and status, upstream lookups, publishes, caches', async () => {
    // Prepare
    const subject = await start();
    const reads = 5;
    const misses = 3;

    // Act
    for (const version of ['1.0.0', '1.1.0']) {
      expect((await publish(subject, publishBody('@myorg/a', version))).status).toBe(201);
    }
    for (let i = 0; i < reads; i += 1) expect((await subject.request('/@myorg%2fa')).status).toBe(200);
    for (let i = 0; i < misses; i += 1)
      expect((await subject.request(`/@myorg%2fmissing-${i}`)).status).toBe(404);
    expect((await subject.request('/-/no/such/endpoint')).status).toBe(404);
    // The upstream: a packument fetched, then held; a tarball downloaded, then held.
    expect((await subject.request('/left-pad')).status).toBe(200);
    expect((await subject.request('/left-pad')).status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const tarball = await subject.request('/left-pad/-/left-pad-1.0.0.tgz');
      expect(tarball.status).toBe(200);
      await tarball.arrayBuffer();
    }
    fixture.upstream.mode = 'fail';
    expect((await subject.request('/right-pad')).status).toBe(503);
    const metrics = await scrape(subject);

    // Assess
    const requests = (method: string, route: string, status: number) =>
      metrics.value(REQUESTS, { method, route, status: String(status) });
    expect(requests('PUT', '/:pkg', 201)).toBe(2);
    expect(requests('GET', '/:pkg', 200)).toBe(reads + 2);
    expect(requests('GET', '/:pkg', 404)).toBe(misses);
    expect(requests('GET', '/:pkg', 503)).toBe(1);
    expect(requests('GET', '/:pkg/-/:file', 200)).toBe(2);
    expect(requests('GET', 'unmatched', 404)).toBe(1);
    // Only patterns, never paths, and no other series (the scrape counts once it has answered).
    expect(metrics.labelSets(REQUESTS)).toHaveLength(6);
    expect(metrics.labelSets(REQUESTS).map((labels) => labels.route)).not.toContain('/@myorg%2fa');
    expect(metrics.value('registry_publishes_total')).toBe(2);
    const lookups = (kind: string, result: string) =>
      metrics.value('registry_upstream_lookups_total', { kind, result });
    expect([
      lookups('packument', 'hit'),
      lookups('packument', 'miss'),
      lookups('packument', 'failure'),
    ]).toEqual([1, 1, 1]);
    expect([lookups('tarball', 'hit'), lookups('tarball', 'miss'), lookups('tarball', 'failure')]).toEqual([
      1, 1, 0,
    ]);
    expect(metrics.value('registry_cache_entries', { cache: 'packuments' })).toBe(1);
    expect(metrics.value('registry_cache_bytes', { cache: 'packuments' })).toBeGreaterThan(0);
    expect(metrics.value('registry_cache_entries', { cache: 'upstream' })).toBe(1);
    expect(metrics.value('registry_cache_bytes', { cache: 'upstream' })).toBeGreaterThan(0);
    expect(metrics.value('registry_cache_entries', { cache: 'tarballs' })).toBeGreaterThanOrEqual(1);
    expect(metrics.sample('registry_upstream_down')?.value).toBe('0');
    expect(metrics.sample('process_resident_memory_bytes')).toBeDefined();
  });

  it('counts the publishes the registry’s events tell, the same ones the audit trail and webhooks hear', async () => {
    // Prepare
    const events = new RegistryEvents({ logger: noopLogger });
    const heard: RegistryEvent[] = [];
    events.subscribe({ receive: (event) => heard.push(event), flush: async () => {}, close: async () => {} });
    registry = await startRegistry({ events });

    // Act: a publish, a refused one, and one told by the events alone
    expect((await publish(registry, publishBody('counted', '1.0.0'))).status).toBe(201);
    expect((await publish(registry, publishBody('counted', '1.0.1'), OTHER_WRITER_TOKEN)).status).toBe(403);
    events.emit(
      { principal: undefined },
      { action: 'publish', outcome: 'ok', package: 'told', version: '1.0.0' },
    );
    const metrics = await scrape(registry);

    // Assess
    const published = heard.filter((event) => event.action === 'publish' && event.outcome === 'ok');
    expect(published).toHaveLength(2);
    expect(metrics.value('registry_publishes_total')).toBe(published.length);
  });

  it('labels every series with the instance whose counts they are, when one is named (a Lambda container)', async () => {
    // Prepare
    registry = await startRegistry({ metricsInstance: '2026/12/07/[$LATEST]abc123' });
    expect((await publish(registry, publishBody('counted', '1.0.0'))).status).toBe(201);

    // Act
    const text = await (await registry.request('/-/metrics')).text();
    const metrics = parseScrape(text);

    // Assess
    const instance = '2026/12/07/[$LATEST]abc123';
    expect(metrics.value('registry_publishes_total', { instance })).toBe(1);
    expect(metrics.value(REQUESTS, { method: 'PUT', route: '/:pkg', status: '201', instance })).toBe(1);
    const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(samples.filter((line) => !line.includes(`instance="${instance}"`))).toEqual([]);
  });

  it('asks for REGISTRY_METRICS_TOKEN when one is set, and only of /-/metrics', async () => {
    // Prepare
    const subject = await start({ metricsToken: 'scrape-secret', publicRead: false });

    // Act
    const anonymous = await subject.request('/-/metrics');
    const wrong = await subject.request('/-/metrics', { token: 'scrape-secre' });
    const basic = await subject.request('/-/metrics', {
      headers: { authorization: 'Basic c2NyYXBlLXNlY3JldA==' },
    });
    const right = await subject.request('/-/metrics', { token: 'scrape-secret' });
    const health = await subject.request('/-/health');

    // Assess
    for (const refused of [anonymous, wrong, basic]) {
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect((await json<{ error: string }>(refused)).error).toContain('REGISTRY_METRICS_TOKEN');
    }
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      parseScrape(await right.text()).value(REQUESTS, { method: 'GET', route: '/-/metrics', status: '401' }),
    ).toBe(3);
    expect(health.status).toBe(200);
  });

  it('is open without a token when REGISTRY_METRICS_TOKEN is unset, even when reads are private', async () => {
    // Prepare
    const subject = await start({ publicRead: false });

    // Act
    const response = await subject.request('/-/metrics');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('GET /-/health', () => {
  it('answers 200 with the version, storage and the upstream breaker, revealing no paths or URLs', async () => {
    // Prepare
    const subject = await start({ publicRead: false });
    const { version } = JSON.parse(
      await readFile(join(import.meta.dirname, '../../package.json'), 'utf8'),
    ) as {
      version: string;
    };
    fixture.upstream.mode = 'fail';
    expect((await subject.request('/right-pad', { token: 'writer-token' })).status).toBe(503);

    // Act
    const response = await subject.request('/-/health');
    const text = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const health = JSON.parse(text) as HealthBody;
    expect(health).toMatchObject({
      status: 'ok',
      version,
      storage: { status: 'ok' },
      upstream: { breaker: 'closed', consecutiveFailures: 1, lastFailure: { reason: 'HTTP 500' } },
    });
    expect(text).not.toContain(fixture.directory);
    expect(text).not.toContain(fixture.upstream.url);
  });

  it('answers 503 while storage is unreadable, and 200 again once it is back', async () => {
    // Prepare: the storage root becomes a link to itself, so every read of it fails (ELOOP).
    const subject = await start();
    const root = join(fixture.directory, 'data');
    await mkdir(root, { recursive: true });
    const healthy = await subject.request('/-/health');
    await rename(root, `${root}-away`);
    await symlink(root, root);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    // Act
    const broken = await subject.request('/-/health');
    const brokenText = await broken.text();
    await unlink(root);
    await rename(`${root}-away`, root);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const recovered = await subject.request('/-/health');

    // Assess
    expect(healthy.status).toBe(200);
    expect(broken.status).toBe(503);
    expect(JSON.parse(brokenText)).toMatchObject({
      status: 'unavailable',
      storage: { status: 'unavailable', reason: 'storage failed (ELOOP)' },
    });
    expect(brokenText).not.toContain(fixture.directory);
    expect(recovered.status).toBe(200);
  });
});
