import { describe, expect, it } from 'vitest';
import { etagFor } from '../src/etagFor.ts';
import { isNotModified } from '../src/index.ts';

describe('etagFor', () => {
  it('is a strong quoted tag that depends only on the content', () => {
    // Prepare
    const bytes = new TextEncoder().encode('{"name":"pkg"}');

    // Act
    const tag = etagFor(bytes);

    // Assess
    expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(etagFor(new TextEncoder().encode('{"name":"pkg"}'))).toBe(tag);
    expect(etagFor('{"name":"pkg"}')).toBe(tag);
    expect(etagFor(new TextEncoder().encode('{"name":"pkh"}'))).not.toBe(tag);
  });
});

describe('isNotModified', () => {
  const etag = etagFor('document');
  const opaque = etag.slice(1, -1);

  it('matches an identical If-None-Match', () => {
    expect(isNotModified({ 'if-none-match': etag }, etag)).toBe(true);
  });

  it('matches a tag anywhere in a list', () => {
    expect(isNotModified({ 'if-none-match': `"other", ${etag} ,"third"` }, etag)).toBe(true);
  });

  it('compares weakly in both directions', () => {
    expect(isNotModified({ 'if-none-match': `W/${etag}` }, etag)).toBe(true);
    expect(isNotModified({ 'if-none-match': etag }, `W/${etag}`)).toBe(true);
  });

  it('matches * for any current representation', () => {
    expect(isNotModified({ 'if-none-match': '*' }, etag)).toBe(true);
  });

  it('does not match other tags, unquoted tags or tags merely containing ours', () => {
    expect(isNotModified({ 'if-none-match': '"other"' }, etag)).toBe(false);
    expect(isNotModified({ 'if-none-match': `${opaque}, W/${opaque}` }, etag)).toBe(false);
    expect(isNotModified({ 'if-none-match': `"x${opaque}"` }, etag)).toBe(false);
  });

  it('reads quoted tags that contain commas', () => {
    expect(isNotModified({ 'if-none-match': '"a,b", "c"' }, '"c"')).toBe(true);
    expect(isNotModified({ 'if-none-match': '"a,b"' }, '"b"')).toBe(false);
  });

  it('copes with an unterminated tag', () => {
    expect(isNotModified({ 'if-none-match': '"abc' }, etag)).toBe(false);
  });

  it('answers false without conditional headers', () => {
    expect(isNotModified({}, etag)).toBe(false);
    expect(isNotModified({}, etag, new Date())).toBe(false);
  });

  it('compares If-Modified-Since with the last modification to whole seconds', () => {
    // Prepare
    const modified = new Date('2024-05-01T10:00:00.700Z');

    // Act
    const sameSecond = isNotModified(
      { 'if-modified-since': 'Wed, 01 May 2024 10:00:00 GMT' },
      undefined,
      modified,
    );
    const later = isNotModified({ 'if-modified-since': 'Wed, 01 May 2024 11:00:00 GMT' }, etag, modified);
    const earlier = isNotModified({ 'if-modified-since': 'Wed, 01 May 2024 09:59:59 GMT' }, etag, modified);

    // Assess
    expect(sameSecond).toBe(true);
    expect(later).toBe(true);
    expect(earlier).toBe(false);
  });

  it('accepts the last modification as an HTTP date', () => {
    expect(
      isNotModified(
        { 'if-modified-since': 'Wed, 01 May 2024 10:00:00 GMT' },
        undefined,
        'Wed, 01 May 2024 10:00:00 GMT',
      ),
    ).toBe(true);
  });

  it('ignores If-Modified-Since when If-None-Match is present', () => {
    expect(
      isNotModified(
        { 'if-none-match': '"other"', 'if-modified-since': 'Wed, 01 May 2030 10:00:00 GMT' },
        etag,
        new Date('2024-01-01'),
      ),
    ).toBe(false);
  });

  it('ignores an unparseable If-Modified-Since', () => {
    expect(isNotModified({ 'if-modified-since': 'yesterday' }, etag, new Date())).toBe(false);
  });
});
