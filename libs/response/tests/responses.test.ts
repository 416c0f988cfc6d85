import { describe, expect, it } from 'vitest';
import { empty, json, redirect, stream, text } from '../src/index.ts';

describe('response builders', () => {
  it('serialises JSON compactly with the JSON content type', () => {
    // Act
    const response = json(201, { name: 'pkg', tags: ['latest'] });

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body).toBe('{"name":"pkg","tags":["latest"]}');
  });

  it('lets extra headers override the defaults', () => {
    // Act
    const response = json(200, {}, { 'content-type': 'application/vnd.npm.install-v1+json', etag: '"a"' });

    // Assess
    expect(response.headers).toEqual({ 'content-type': 'application/vnd.npm.install-v1+json', etag: '"a"' });
  });

  it('sends null for an undefined JSON value so the body always parses', () => {
    expect(JSON.parse(json(200, undefined).body as string)).toBeNull();
  });

  it('builds plain text, empty and redirect responses', () => {
    expect(text(200, 'ok')).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'ok',
    });
    expect(empty(204, { 'cache-control': 'no-store' })).toEqual({
      status: 204,
      headers: { 'cache-control': 'no-store' },
    });
    expect(redirect(302, '/pkg/-/pkg-1.0.0.tgz')).toEqual({
      status: 302,
      headers: { location: '/pkg/-/pkg-1.0.0.tgz' },
    });
  });

  it('gives every response its own headers object', () => {
    // Prepare
    const shared = { 'cache-control': 'max-age=60' };

    // Act
    const response = empty(200, shared);
    response.headers['x-request-id'] = 'abc';

    // Assess
    expect(shared).toEqual({ 'cache-control': 'max-age=60' });
  });

  it('wraps an async iterable as a streamed body', async () => {
    // Prepare
    async function* chunks() {
      yield new TextEncoder().encode('a');
      yield new TextEncoder().encode('b');
    }

    // Act
    const response = stream(200, chunks(), { 'content-type': 'application/octet-stream' });
    const received: string[] = [];
    for await (const chunk of response.body as AsyncIterable<Uint8Array>)
      received.push(new TextDecoder().decode(chunk));

    // Assess
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(received).toEqual(['a', 'b']);
  });
});
