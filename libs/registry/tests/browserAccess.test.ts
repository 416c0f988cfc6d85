import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';
import { READER_TOKEN } from './support/testAuth.ts';

let registry: TestRegistry;

beforeEach(async () => {
  registry = await startRegistry();
});

afterEach(async () => {
  await registry.close();
});

describe('browser access (a registry UI on another origin)', () => {
  it('answers the preflight of a token-carrying read', async () => {
    // Act
    const preflight = await registry.request('/@scope%2fdemo', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://ui.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });

    // Assess
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('lets the browser read packuments and error bodies', async () => {
    // Prepare
    await publish(registry, publishBody('@scope/demo', '1.0.0'));

    // Act
    const found = await registry.request('/@scope%2fdemo', {
      headers: { origin: 'http://ui.example' },
      token: READER_TOKEN,
    });
    const missing = await registry.request('/@scope%2fmissing', { headers: { origin: 'http://ui.example' } });

    // Assess
    expect(found.status).toBe(200);
    expect(found.headers.get('access-control-allow-origin')).toBe('*');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('still refuses OPTIONS from clients that are not browsers', async () => {
    // Act
    const response = await registry.request('/@scope%2fdemo', { method: 'OPTIONS' });

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
