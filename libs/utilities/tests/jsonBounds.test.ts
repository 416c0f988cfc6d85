import { describe, expect, it } from 'vitest';
import {
  exceededJsonBound,
  JsonBoundError,
  jsonTooDeepMessage,
  jsonTooManyMembersMessage,
  MAX_JSON_DEPTH,
  safeJsonParse,
} from '../src/index.ts';

/** `depth` arrays, one inside the other. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deeperThan = (text: string, maxDepth: number) => exceededJsonBound(text, { maxDepth }) !== undefined;

describe('exceededJsonBound', () => {
  it('counts objects and arrays alike, up to and past the depth limit', () => {
    expect(exceededJsonBound(nested(64), { maxDepth: 64 })).toBeUndefined();
    expect(exceededJsonBound(nested(65), { maxDepth: 64 })).toEqual({ bound: 'maxDepth', limit: 64 });
    expect(deeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(deeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it('measures the deepest branch, not the number of brackets', () => {
    expect(deeperThan(`[${Array.from({ length: 1000 }, () => '[[1]]').join(',')}]`, 3)).toBe(false);
  });

  it('does not count brackets or colons inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ text: '[[[[{{{{::', quoted: '"[[[[:', slash: '\\' });
    expect(exceededJsonBound(text, { maxDepth: 1, maxMembers: 3 })).toBeUndefined();
    expect(deeperThan(JSON.stringify({ slash: '\\', after: [[[]]] }), 3)).toBe(true);
  });

  it('counts object members at every depth', () => {
    const text = '{"a":{"b":1,"c":[{"d":2}]}}';
    expect(exceededJsonBound(text, { maxDepth: 8, maxMembers: 4 })).toBeUndefined();
    expect(exceededJsonBound(text, { maxDepth: 8, maxMembers: 3 })).toEqual({
      bound: 'maxMembers',
      limit: 3,
    });
  });

  it('scans a million levels without recursion', () => {
    expect(deeperThan(nested(1_000_000), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('safeJsonParse with bounds', () => {
  it('refuses text beyond a bound before parsing it', () => {
    // Act
    const result = safeJsonParse(`{"a":${nested(100)}}`, { bounds: { maxDepth: MAX_JSON_DEPTH } });

    // Assess
    expect(result.ok).toBe(false);
    const error = result.ok ? undefined : result.error;
    expect(error).toBeInstanceOf(JsonBoundError);
    expect((error as JsonBoundError).exceeded).toEqual({ bound: 'maxDepth', limit: MAX_JSON_DEPTH });
  });

  it('parses text at the limits', () => {
    const bounds = { maxDepth: MAX_JSON_DEPTH, maxMembers: 1 };
    expect(safeJsonParse(Buffer.from(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`), { bounds }).ok).toBe(true);
  });

  it('names the limits in its messages', () => {
    expect(jsonTooDeepMessage('the request body')).toBe('the request body nests deeper than 64 levels');
    expect(jsonTooManyMembersMessage('the request body', 10)).toBe(
      'the request body has more than 10 object members',
    );
  });
});
