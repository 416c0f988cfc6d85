import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { etagFor } from '../src/etagFor.ts';
import { prepareBody, sendPrepared } from '../src/index.ts';

function packument(versions: number): Uint8Array {
  const entries = Array.from({ length: versions }, (_, i) => [
    `1.0.${i}`,
    { name: 'pkg', version: `1.0.${i}`, dist: { tarball: `/pkg/-/pkg-1.0.${i}.tgz` } },
  ]);
  return new TextEncoder().encode(JSON.stringify({ name: 'pkg', versions: Object.fromEntries(entries) }));
}

const JSON_TYPE = 'application/json';

describe('prepareBody', () => {
  it('computes the ETag of the identity bytes once', () => {
    // Prepare
    const bytes = packument(50);

    // Act
    const prepared = prepareBody(bytes, { contentType: JSON_TYPE });

    // Assess
    expect(prepared.etag).toBe(etagFor(bytes));
    expect(prepared.bytes).toBe(bytes);
    expect(prepared.contentType).toBe(JSON_TYPE);
    expect(prepared.compressible).toBe(true);
  });

  it('compresses each variant on first need and keeps it', () => {
    // Prepare
    const bytes = packument(50);
    const prepared = prepareBody(bytes, { contentType: JSON_TYPE });

    // Act
    const gzipped = prepared.encoded('gzip');
    const brotlied = prepared.encoded('br');

    // Assess
    expect(gzipped.byteLength).toBeLessThan(bytes.byteLength);
    expect(brotlied.byteLength).toBeLessThan(bytes.byteLength);
    expect(new Uint8Array(gunzipSync(gzipped))).toEqual(bytes);
    expect(new Uint8Array(brotliDecompressSync(brotlied))).toEqual(bytes);
    expect(prepared.encoded('gzip')).toBe(gzipped);
    expect(prepared.encoded('br')).toBe(brotlied);
    expect(prepared.encoded('identity')).toBe(bytes);
  });

  it('does not compress small bodies or when compression is off', () => {
    // Prepare
    const bytes = packument(50);

    // Act
    const small = prepareBody(new TextEncoder().encode('{"ok":true}'), { contentType: JSON_TYPE });
    const off = prepareBody(bytes, { contentType: JSON_TYPE, compress: false });
    const lowered = prepareBody(new TextEncoder().encode('{"ok":true,"ok2":true}'), {
      contentType: JSON_TYPE,
      minSize: 10,
    });

    // Assess
    expect(small.compressible).toBe(false);
    expect(small.encoded('br')).toBe(small.bytes);
    expect(off.encoded('gzip')).toBe(bytes);
    expect(lowered.compressible).toBe(true);
  });

  it('falls back to the identity bytes when compression does not shrink the body', () => {
    // Prepare
    const noise = new Uint8Array(randomBytes(4096));
    const prepared = prepareBody(noise, { contentType: 'application/octet-stream' });

    // Act
    const gzipped = prepared.encoded('gzip');
    const brotlied = prepared.encoded('br');

    // Assess
    expect(gzipped).toBe(noise);
    expect(brotlied).toBe(noise);
  });

  it('precompresses both variants off the event loop', async () => {
    // Prepare
    const bytes = packument(200);
    const prepared = prepareBody(bytes, { contentType: JSON_TYPE });
    const gzippedFirst = prepared.encoded('gzip');

    // Act
    await prepared.precompress();

    // Assess
    expect(prepared.encoded('gzip')).toBe(gzippedFirst);
    expect(new Uint8Array(brotliDecompressSync(prepared.encoded('br')))).toEqual(bytes);
  });

  it('precompresses nothing for a body that is not compressible', async () => {
    // Prepare
    const prepared = prepareBody(new TextEncoder().encode('{}'), { contentType: JSON_TYPE });

    // Act
    await prepared.precompress();

    // Assess
    expect(prepared.encoded('br')).toBe(prepared.bytes);
  });

  it('prepares a 10 MB document in well under a second per variant', () => {
    // Prepare
    const bytes = packument(110_000);
    const prepared = prepareBody(bytes, { contentType: JSON_TYPE });

    // Act
    const started = performance.now();
    const brotlied = prepared.encoded('br');
    const gzipped = prepared.encoded('gzip');
    const elapsed = performance.now() - started;

    // Assess
    expect(bytes.byteLength).toBeGreaterThan(10_000_000);
    expect(brotlied.byteLength).toBeLessThan(gzipped.byteLength);
    expect(elapsed).toBeLessThan(4000);
  });
});

describe('sendPrepared', () => {
  const bytes = packument(50);
  const prepared = prepareBody(bytes, { contentType: JSON_TYPE });

  it('sends the best accepted encoding with its headers', () => {
    // Act
    const response = sendPrepared(prepared, { 'accept-encoding': 'gzip, deflate, br' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toBe(prepared.encoded('br'));
    expect(response.headers).toEqual({
      etag: prepared.etag,
      vary: 'accept-encoding',
      'content-type': JSON_TYPE,
      'content-length': String(prepared.encoded('br').byteLength),
      'content-encoding': 'br',
    });
  });

  it('sends identity bytes without content-encoding to clients that accept no compression', () => {
    // Act
    const response = sendPrepared(prepared, {});

    // Assess
    expect(response.body).toBe(bytes);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['content-length']).toBe(String(bytes.byteLength));
    expect(response.headers.vary).toBe('accept-encoding');
  });

  it('answers 304 without a body when the ETag matches', () => {
    // Act
    const response = sendPrepared(
      prepared,
      { 'if-none-match': `W/${prepared.etag}`, 'accept-encoding': 'gzip' },
      { headers: { 'cache-control': 'max-age=300' } },
    );

    // Assess
    expect(response).toEqual({
      status: 304,
      headers: { 'cache-control': 'max-age=300', etag: prepared.etag, vary: 'accept-encoding' },
    });
  });

  it('omits the body for HEAD but keeps the length GET would send', () => {
    // Act
    const response = sendPrepared(prepared, { 'accept-encoding': 'gzip' }, { method: 'HEAD' });

    // Assess
    expect(response.body).toBeUndefined();
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['content-length']).toBe(String(prepared.encoded('gzip').byteLength));
  });

  it('never turns a write or a non-200 answer into a 304', () => {
    // Prepare
    const conditional = { 'if-none-match': prepared.etag };

    // Act
    const put = sendPrepared(prepared, conditional, { method: 'PUT' });
    const created = sendPrepared(prepared, conditional, { status: 201 });

    // Assess
    expect(put.status).toBe(200);
    expect(created.status).toBe(201);
    expect(created.body).toBe(bytes);
  });

  it('adds accept-encoding to a caller Vary unless already covered', () => {
    expect(sendPrepared(prepared, {}, { headers: { vary: 'accept' } }).headers.vary).toBe(
      'accept, accept-encoding',
    );
    expect(sendPrepared(prepared, {}, { headers: { vary: 'Accept-Encoding, Accept' } }).headers.vary).toBe(
      'Accept-Encoding, Accept',
    );
    expect(sendPrepared(prepared, {}, { headers: { vary: '*' } }).headers.vary).toBe('*');
  });

  it('leaves Vary alone and never encodes a body that is not compressible', () => {
    // Prepare
    const tarball = prepareBody(bytes, { contentType: 'application/octet-stream', compress: false });

    // Act
    const response = sendPrepared(tarball, { 'accept-encoding': 'br' });

    // Assess
    expect(response.headers.vary).toBeUndefined();
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toBe(bytes);
  });
});
