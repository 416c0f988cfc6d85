import { LRUCache } from 'lru-cache';
import { clockTtl } from '../clockTtl.ts';

export interface MembershipCache {
  /** The user's groups, from GitHub at most once per time to live; concurrent misses share one round. */
  groupsOf(login: string): Promise<readonly string[]>;
  /** Asks GitHub now (a login), and keeps the answer for the time to live. */
  refresh(login: string): Promise<readonly string[]>;
}

/**
 * Org and team memberships per user, so that GitHub is asked once per user and time to live, not
 * per request. An expired entry is asked again before it is used: a removed member loses the
 * groups within the time to live, and when GitHub cannot answer then, the request fails (503)
 * rather than run on memberships older than promised.
 */
export function createMembershipCache(options: {
  load: (login: string) => Promise<string[]>;
  ttlMs: number;
  now: () => Date;
  maxEntries?: number;
}): MembershipCache {
  const cache = new LRUCache<string, readonly string[]>({
    max: options.maxEntries ?? 10_000,
    ...clockTtl(options.now, options.ttlMs),
    // lru-cache's fetch shares one call among concurrent misses of a key; a failure is not kept.
    fetchMethod: (login) => options.load(login).then((groups) => Object.freeze(groups)),
  });
  const fetchGroups = async (login: string, forceRefresh: boolean) => {
    const groups = await cache.fetch(login, { forceRefresh });
    // fetchMethod never answers undefined; this only narrows the type.
    if (groups === undefined) throw new Error(`no memberships loaded for ${login}`);
    return groups;
  };
  return {
    groupsOf: (login) => fetchGroups(login, false),
    refresh: (login) => fetchGroups(login, true),
  };
}
