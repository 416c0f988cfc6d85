/** The upstream settings when no upstream variable is set: proxying off, the tuning at its defaults. */
export const upstreamDefaults = {
  url: undefined,
  maxAgeMs: 120_000,
  timeoutMs: 15_000,
  privateScopes: [],
  allowPublishOverUpstream: [],
  maxCachedBytes: 64 * 1024 * 1024,
};
