/**
 * lru-cache time-to-live options that age entries on the registry's clock, read afresh each time
 * (so tests can move it), in whole milliseconds from just before the cache was made: lru-cache
 * takes a start of 0 for "no age" and expires an entry only once it is older than `ttl`, while an
 * entry must be loaded again as soon as it is `ttlMs` old.
 */
export function clockTtl(now: () => Date, ttlMs: number) {
  const origin = now().getTime() - 1;
  return {
    ttl: Math.max(1, ttlMs - 1),
    perf: { now: () => now().getTime() - origin },
    ttlResolution: 0,
  };
}
