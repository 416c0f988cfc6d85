import { z } from '@myorg/validation';
import { byteSizeVariable, durationVariable, httpUrl, listVariable } from '../config/variables.ts';
import { normaliseScope } from './PackagePolicy.ts';

/** The upstream proxy's part of the registry configuration. */
export interface UpstreamConfig {
  /** The upstream's base URL; undefined for `none` (nothing is proxied). */
  url: string | undefined;
  /** REGISTRY_UPSTREAM_MAX_AGE: how long a fetched document is served before it is revalidated. */
  maxAgeMs: number;
  /** REGISTRY_UPSTREAM_TIMEOUT: limit for each upstream request (a tarball: each chunk). */
  timeoutMs: number;
  /** REGISTRY_PRIVATE_SCOPES, normalised (`@myorg`). */
  privateScopes: string[];
  /** REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM: names or `*` patterns. */
  allowPublishOverUpstream: string[];
  /** REGISTRY_UPSTREAM_MEMORY: most bytes of upstream documents and their served bodies kept in memory. */
  maxCachedBytes: number;
}

const scopePattern = /^@?[a-z0-9][a-z0-9._~-]*\/?$/i;
const namePattern = /^[a-z0-9@/._~*-]+$/i;
const upstreamUrlMessage = 'must be none or an http(s) URL without query or fragment';

/**
 * The environment variables of the upstream proxy, for the registry's configuration schema.
 * REGISTRY_UPSTREAM has no default here: the server supplies one (the user's npm registry).
 */
export const upstreamVariables = {
  REGISTRY_UPSTREAM: z
    .string()
    .default('none')
    .transform((text) => text.trim())
    .pipe(
      z.union(
        [
          z.literal('none').transform(() => undefined),
          httpUrl(upstreamUrlMessage).transform((url) => url.href),
        ],
        { error: upstreamUrlMessage },
      ),
    ),
  REGISTRY_UPSTREAM_MAX_AGE: durationVariable('2m', 0),
  REGISTRY_UPSTREAM_TIMEOUT: durationVariable('15s', 1),
  REGISTRY_PRIVATE_SCOPES: listVariable(scopePattern, 'a scope such as @myorg').transform((scopes) =>
    scopes.map(normaliseScope),
  ),
  REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM: listVariable(
    namePattern,
    'a package name or pattern such as @types/*',
  ),
  REGISTRY_UPSTREAM_MEMORY: byteSizeVariable('64mb'),
};

type Parsed = { [K in keyof typeof upstreamVariables]: z.output<(typeof upstreamVariables)[K]> };

/** The upstream configuration from the parsed variables. */
export function upstreamConfig(parsed: Parsed): UpstreamConfig {
  return {
    url: parsed.REGISTRY_UPSTREAM,
    maxAgeMs: parsed.REGISTRY_UPSTREAM_MAX_AGE,
    timeoutMs: parsed.REGISTRY_UPSTREAM_TIMEOUT,
    privateScopes: parsed.REGISTRY_PRIVATE_SCOPES,
    allowPublishOverUpstream: parsed.REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM,
    maxCachedBytes: parsed.REGISTRY_UPSTREAM_MEMORY,
  };
}
