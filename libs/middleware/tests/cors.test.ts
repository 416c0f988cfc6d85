import { json } from '@myorg/response';
import { describe, expect, it } from 'vitest';
import { compose, cors } from '../src/index.ts';
import { recordingContext, request } from './helpers.ts';

let handled = 0;
const pipeline = compose(cors())(async () => {
  handled++;
  return json(200, { ok: true }, { etag: '"v1"' });
});

describe('cors', () => {
  it('answers a browser preflight itself, naming Authorization among the allowed headers', async () => {
    // Prepare
    const before = handled;

    // Act
    const response = await pipeline(
      request({
        method: 'OPTIONS',
        headers: { origin: 'http://ui.example', 'access-control-request-method': 'GET' },
      }),
      recordingContext().ctx,
    );

    // Assess
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-headers']).toContain('authorization');
    expect(response.headers['access-control-allow-methods']).toContain('PUT');
    expect(handled).toBe(before);
  });

  it('lets a browser read the response and its ETag', async () => {
    // Act
    const response = await pipeline(
      request({ headers: { origin: 'http://ui.example' } }),
      recordingContext().ctx,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-expose-headers']).toContain('etag');
  });

  it('leaves responses to clients that send no Origin untouched', async () => {
    // Act
    const response = await pipeline(request(), recordingContext().ctx);
    const options = await pipeline(request({ method: 'OPTIONS' }), recordingContext().ctx);

    // Assess
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(options.status).toBe(200);
  });

  it('uses the configured origin', async () => {
    // Prepare
    const restricted = compose(cors({ origin: 'http://ui.example' }))(async () => json(200, {}));

    // Act
    const response = await restricted(
      request({ headers: { origin: 'http://ui.example' } }),
      recordingContext().ctx,
    );

    // Assess
    expect(response.headers['access-control-allow-origin']).toBe('http://ui.example');
  });
});
