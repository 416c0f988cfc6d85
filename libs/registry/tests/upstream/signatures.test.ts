import { MemoryStorage } from '@myorg/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamProxy } from '../../src/upstream/UpstreamProxy.ts';
import { publishBody } from '../support/publishBody.ts';
import { startRegistry, type TestRegistry } from '../support/startRegistry.ts';
import { WRITER_TOKEN } from '../support/testAuth.ts';
import { startUpstreamFixture, type UpstreamFixture } from './support/upstreamFixture.ts';

const KEYS = {
  keys: [
    {
      keyid: 'SHA256:k',
      keytype: 'ecdsa-sha2-nistp256',
      scheme: 'ecdsa-sha2-nistp256',
      key: 'AA==',
      expires: null,
    },
  ],
};
const ATTESTATIONS = { attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: {} }] };

let upstream: UpstreamFixture;

beforeEach(async () => {
  upstream = await startUpstreamFixture();
  upstream.documents.set('/-/npm/v1/keys', KEYS);
  upstream.documents.set('/-/npm/v1/attestations/@scope%2fpkg@1.0.0', ATTESTATIONS);
});

afterEach(async () => {
  await upstream.stop();
});

describe("the upstream's signing keys", () => {
  it('are relayed, and asked for again only after five minutes', async () => {
    // Prepare
    let now = 0;
    const proxy = new UpstreamProxy({ url: upstream.url, storage: new MemoryStorage(), now: () => now });

    // Act
    const first = await proxy.keys();
    now += 4 * 60_000;
    const cached = await proxy.keys();
    now += 2 * 60_000;
    await proxy.keys();

    // Assess
    expect(first.status).toBe(200);
    expect(JSON.parse(String(first.body))).toEqual(KEYS);
    expect(cached.body).toEqual(first.body);
    expect(upstream.count('GET /-/npm/v1/keys')).toBe(2);
  });

  it('answer 503 while the upstream cannot be reached', async () => {
    // Prepare
    await upstream.stop();
    const proxy = new UpstreamProxy({ url: upstream.url, storage: new MemoryStorage() });

    // Act
    const failure = await proxy.keys().catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ status: 503 });
    expect((failure as Error).message).toMatch(/signing keys come from it/);
  });
});

describe('GET /-/npm/v1/keys and /-/npm/v1/attestations', () => {
  let registry: TestRegistry | undefined;

  afterEach(async () => {
    await registry?.close();
    registry = undefined;
  });

  it('relays a proxied version’s attestations, and never asks for a private scope’s', async () => {
    // Prepare
    registry = await startRegistry({ upstream: { url: upstream.url, privateScopes: ['@myorg'] } });

    // Act
    const proxied = await registry.request('/-/npm/v1/attestations/@scope/pkg@1.0.0');
    const unknown = await registry.request('/-/npm/v1/attestations/other@1.0.0');
    const privateScope = await registry.request('/-/npm/v1/attestations/@myorg%2fsecret@1.0.0');

    // Assess
    expect(await proxied.json()).toEqual(ATTESTATIONS);
    expect(unknown.status).toBe(404);
    expect(privateScope.status).toBe(404);
    expect(upstream.count('GET /-/npm/v1/attestations/@myorg')).toBe(0);
  });

  it('answer 404 on a registry without an upstream, and for a local version without provenance', async () => {
    // Prepare
    registry = await startRegistry();
    const published = await registry.request('/demo', {
      method: 'PUT',
      token: WRITER_TOKEN,
      json: publishBody('demo', '1.0.0'),
    });

    // Act
    const keys = await registry.request('/-/npm/v1/keys');
    const attestations = await registry.request('/-/npm/v1/attestations/demo@1.0.0');

    // Assess
    expect(published.status).toBe(201);
    expect(keys.status).toBe(404);
    expect(await keys.json()).toMatchObject({ error: expect.stringMatching(/has no signing keys/) });
    expect(attestations.status).toBe(404);
    expect(await attestations.json()).toMatchObject({ error: 'no attestations for demo@1.0.0' });
  });
});
