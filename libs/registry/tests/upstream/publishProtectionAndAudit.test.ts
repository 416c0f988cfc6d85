import { MemoryStorage } from '@myorg/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamProxy, type UpstreamProxyOptions } from '../../src/upstream/UpstreamProxy.ts';
import { startUpstreamFixture, type UpstreamFixture } from './support/upstreamFixture.ts';

let upstream: UpstreamFixture;

beforeEach(async () => {
  upstream = await startUpstreamFixture();
  await upstream.publish('left-pad', '1.0.0');
});

afterEach(async () => {
  await upstream.stop();
});

function proxy(options: Partial<UpstreamProxyOptions> = {}): UpstreamProxy {
  return new UpstreamProxy({ url: upstream.url, storage: new MemoryStorage(), ...options });
}

describe('publishing a name the upstream has', () => {
  it('is refused with 403 and a message saying how to proceed', async () => {
    // Act
    const failure = await proxy()
      .assertPublishable('left-pad')
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status: 403, code: 'EPUBLISHUPSTREAM' });
    expect((failure as Error).message).toMatch(
      /^left-pad is a package on the upstream registry: .*REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM$/,
    );
  });

  it('is allowed for names the upstream lacks, private scopes and allowed patterns', async () => {
    // Prepare
    await upstream.publish('@types/widget', '1.0.0');
    await upstream.publish('@myorg/secret', '99.0.0');
    const subject = proxy({ privateScopes: ['@myorg'], allowPublishOverUpstream: ['@types/*', 'left-*'] });

    // Act
    const checks = await Promise.all(
      ['brand-new', '@types/widget', 'left-pad', '@myorg/secret'].map((name) =>
        subject.assertPublishable(name).then(() => 'allowed'),
      ),
    );

    // Assess: only brand-new needed to ask the upstream.
    expect(checks).toEqual(['allowed', 'allowed', 'allowed', 'allowed']);
    expect(upstream.requests.map((request) => request.url)).toEqual(['/brand-new']);
  });

  it('is refused with 503 while the upstream cannot say whether it has the name', async () => {
    // Prepare
    await upstream.stop();

    // Act
    const failure = await proxy()
      .assertPublishable('maybe-taken')
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status: 503 });
    expect((failure as Error).message).toBe(
      'cannot check whether maybe-taken exists on the upstream registry (ECONNREFUSED): try again later, or publish under a private scope',
    );
  });

  it('is refused from the cache while the upstream is down', async () => {
    // Prepare
    const subject = proxy({ maxAgeMs: 0 });
    await subject.packument('left-pad', 'abbreviated', 'http://x.test');
    await upstream.stop();

    // Act
    const failure = await subject.assertPublishable('left-pad').catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status: 403 });
  });
});

describe('npm audit through the proxy', () => {
  it('forwards a bulk request without private packages and relays the answer', async () => {
    // Prepare
    const advisories = { 'left-pad': [{ id: 1, severity: 'high', vulnerable_versions: '<2.0.0' }] };
    upstream.audit = () => ({ status: 200, body: advisories });
    const subject = proxy({ privateScopes: ['@myorg'] });
    const local = new Set(['private-pkg']);

    // Act
    const response = await subject.audit(
      'bulk',
      { 'left-pad': ['1.0.0'], 'private-pkg': ['1.0.0'], '@myorg/secret': ['2.0.0'], '@other/x': ['1.0.0'] },
      async (name) => local.has(name),
    );

    // Assess
    const [request] = upstream.requests;
    expect(request?.url).toBe('/-/npm/v1/security/advisories/bulk');
    expect(JSON.parse(request!.body.toString())).toEqual({ 'left-pad': ['1.0.0'], '@other/x': ['1.0.0'] });
    expect(response.status).toBe(200);
    expect(JSON.parse(Buffer.from(response.body as Uint8Array).toString())).toEqual(advisories);
  });

  it('forwards a quick audit tree with private packages pruned at every level', async () => {
    // Prepare
    const subject = proxy({ privateScopes: ['@myorg'] });
    const tree = {
      name: 'app',
      version: '1.0.0',
      requires: { 'left-pad': '^1.0.0', '@myorg/ui': '^1.0.0' },
      dependencies: {
        'left-pad': { version: '1.0.0', requires: { 'private-pkg': '1.0.0' } },
        '@myorg/ui': { version: '1.0.0', dependencies: { deep: { version: '1.0.0' } } },
        'private-pkg': { version: '1.0.0' },
        broken: 'not an object',
      },
    };

    // Act
    await subject.audit('quick', tree, async (name) => name === 'private-pkg');

    // Assess
    expect(upstream.requests[0]?.url).toBe('/-/npm/v1/security/audits/quick');
    expect(JSON.parse(upstream.requests[0]!.body.toString())).toEqual({
      name: 'app',
      version: '1.0.0',
      requires: { 'left-pad': '^1.0.0' },
      dependencies: {
        'left-pad': { version: '1.0.0', requires: {} },
        broken: 'not an object',
      },
    });
  });

  it('relays a client error of the upstream as it is', async () => {
    // Prepare
    upstream.audit = () => ({ status: 400, body: { error: 'bad audit' } });

    // Act
    const response = await proxy().audit('bulk', { 'left-pad': ['1.0.0'] }, async () => false);

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(Buffer.from(response.body as Uint8Array).toString())).toEqual({ error: 'bad audit' });
  });

  it.each([
    [
      'fails',
      'fail' as const,
      503,
      /^the upstream registry is unavailable \(HTTP 500\) and npm audit needs its answer/,
    ],
    ['hangs', 'hang' as const, 504, /^the upstream registry did not answer in time \(ETIMEDOUT\)/],
  ])('answers with a gateway error when the upstream %s', async (_case, mode, status, message) => {
    // Prepare
    upstream.mode = mode;

    // Act
    const failure = await proxy({ timeoutMs: 200 })
      .audit('bulk', { 'left-pad': ['1.0.0'] }, async () => false)
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status });
    expect((failure as Error).message).toMatch(message);
  });

  it('answers 503 when the upstream cannot be reached, and sends credentials from its URL as Basic auth', async () => {
    // Prepare
    const withCredentials = new URL(upstream.url);
    withCredentials.username = 'proxy';
    withCredentials.password = 'p@ss';
    const subject = new UpstreamProxy({ url: withCredentials.href, storage: new MemoryStorage() });
    await subject.audit('bulk', {}, async () => false);
    const [forwarded] = upstream.requests;
    await upstream.stop();

    // Act
    const failure = await subject.audit('bulk', {}, async () => false).catch((error: unknown) => error);

    // Assess
    expect(forwarded?.authorization).toBe(`Basic ${Buffer.from('proxy:p@ss').toString('base64')}`);
    expect(forwarded?.url).toBe('/-/npm/v1/security/advisories/bulk');
    expect(failure).toMatchObject({ status: 503 });
  });
});
