import { json } from '@myorg/response';
import { describe, expect, it } from 'vitest';
import { compose, createRequestContext, requestId } from '../src/index.ts';
import { recordingContext, request } from './helpers.ts';

const pipeline = compose(requestId())(async (_req, ctx) => json(200, { id: ctx.requestId }));

describe('requestId', () => {
  it('keeps a sane incoming x-request-id and echoes it', async () => {
    // Act
    const response = await pipeline(
      request({ headers: { 'x-request-id': 'edge-1f3a:42' } }),
      recordingContext().ctx,
    );

    // Assess
    expect(JSON.parse(response.body as string)).toEqual({ id: 'edge-1f3a:42' });
    expect(response.headers['x-request-id']).toBe('edge-1f3a:42');
  });

  it.each([
    ['a value with spaces', 'a b'],
    ['a value with a line break', 'a\nfake log line'],
    ['an empty value', ''],
    ['an overlong value', 'x'.repeat(129)],
  ])('replaces %s with a generated id', async (_label, incoming) => {
    // Act
    const response = await pipeline(
      request({ headers: { 'x-request-id': incoming } }),
      recordingContext().ctx,
    );

    // Assess
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates a different id for each request without one', async () => {
    // Act
    const first = await pipeline(request(), recordingContext().ctx);
    const second = await pipeline(request(), recordingContext().ctx);

    // Assess
    expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it('keeps an id the transport already assigned', async () => {
    // Prepare
    const ctx = createRequestContext(recordingContext().ctx.logger, 'apigw-abc123');

    // Act
    const response = await pipeline(request(), ctx);

    // Assess
    expect(response.headers['x-request-id']).toBe('apigw-abc123');
  });
});
