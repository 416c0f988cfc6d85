import { describe, expect, it } from 'vitest';
import {
  JsonTooDeepError,
  jsonTooDeepMessage,
  MAX_JSON_DEPTH,
  nestsDeeperThan,
  safeJsonParse,
} from '../src/index.ts';

/** `depth` arrays, one inside the other. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('nestsDeeperThan', () => {
  it('counts objects and arrays alike, up to and past the limit', () => {
    expect(nestsDeeperThan(nested(64), 64)).toBe(false);
    expect(nestsDeeperThan(nested(65), 64)).toBe(true);
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it('measures the deepest branch, not the number of brackets', () => {
    expect(nestsDeeperThan(`[${Array.from({ length: 1000 }, () => '[[1]]').join(',')}]`, 3)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[{{{{', quoted: '"[[[[', slash: '\\' }), 1)).toBe(
      false,
    );
    expect(nestsDeeperThan(JSON.stringify({ slash: '\\', after: [[[]]] }), 3)).toBe(true);
  });

  it('scans a million levels without recursion', () => {
    expect(nestsDeeperThan(nested(1_000_000), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('safeJsonParse with maxDepth', () => {
  it('refuses deeper text before parsing it', () => {
    // Act
    const result = safeJsonParse(`{"a":${nested(100)}}`, { maxDepth: MAX_JSON_DEPTH });

    // Assess
    expect(result.ok).toBe(false);
    const error = result.ok ? undefined : result.error;
    expect(error).toBeInstanceOf(JsonTooDeepError);
    expect(error?.message).toBe(jsonTooDeepMessage('the document'));
  });

  it('parses text at the limit', () => {
    expect(safeJsonParse(Buffer.from(nested(MAX_JSON_DEPTH)), { maxDepth: MAX_JSON_DEPTH }).ok).toBe(true);
  });

  it('names the limit in its message', () => {
    expect(jsonTooDeepMessage('the request body')).toBe('the request body nests deeper than 64 levels');
  });
});
