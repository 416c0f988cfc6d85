import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../src/auth/local/TokenCache.ts';

describe('TokenCache', () => {
  it('returns what was stored, including known misses, until the time to live passes', () => {
    // Prepare
    const cache = new TokenCache<string>({ maxEntries: 10, ttlMs: 1000 });
    cache.set('a', 'alice', 0);
    cache.set('b', null, 0);

    // Act + Assess
    expect(cache.get('a', 999)).toBe('alice');
    expect(cache.get('b', 999)).toBeNull();
    expect(cache.get('c', 999)).toBeUndefined();
    expect(cache.get('a', 1000)).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('evicts the least recently used entry beyond its bound', () => {
    // Prepare
    const cache = new TokenCache<string>({ maxEntries: 2, ttlMs: 1000 });
    cache.set('a', 'alice', 0);
    cache.set('b', 'bob', 0);
    cache.get('a', 1);

    // Act
    cache.set('c', 'carol', 2);

    // Assess
    expect(cache.size).toBe(2);
    expect(cache.get('b', 3)).toBeUndefined();
    expect(cache.get('a', 3)).toBe('alice');
    expect(cache.get('c', 3)).toBe('carol');
  });

  it('forgets a deleted entry', () => {
    // Prepare
    const cache = new TokenCache<string>({ maxEntries: 2, ttlMs: 1000 });
    cache.set('a', 'alice', 0);

    // Act
    cache.delete('a');

    // Assess
    expect(cache.get('a', 0)).toBeUndefined();
  });
});
