import { parseDuration } from '@myorg/date';
import { z } from '@myorg/validation';
import { byteSizeVariable } from '../config/byteSizeVariable.ts';
import { parseHttpUrl } from '../config/parseHttpUrl.ts';
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

function duration(defaultValue: string, minimumMs: number) {
  return z
    .string()
    .default(defaultValue)
    .transform((value, ctx) => {
      let ms: number | undefined;
      try {
        ms = parseDuration(value);
      } catch {
        // Reported below with the expected form.
      }
      if (ms === undefined || ms < minimumMs) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 30s, 2m or 1h30m' });
        return z.NEVER;
      }
      return ms;
    });
}

function list(pattern: RegExp, what: string) {
  return z
    .string()
    .default('')
    .transform((value, ctx) => {
      const items = value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      const bad = items.filter((item) => !pattern.test(item));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `${bad.join(', ')}: not ${what}` });
        return z.NEVER;
      }
      return items;
    });
}

/**
 * The environment variables of the upstream proxy, for the registry's configuration schema.
 * REGISTRY_UPSTREAM has no default here: the server supplies one (the user's npm registry).
 */
export const upstreamVariables = {
  REGISTRY_UPSTREAM: z
    .string()
    .default('none')
    .transform((value, ctx) => {
      if (value.trim() === 'none') return undefined;
      const url = parseHttpUrl(value);
      if (url === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be none or an http(s) URL without query or fragment' });
        return z.NEVER;
      }
      return url.href;
    }),
  REGISTRY_UPSTREAM_MAX_AGE: duration('2m', 0),
  REGISTRY_UPSTREAM_TIMEOUT: duration('15s', 1),
  REGISTRY_PRIVATE_SCOPES: list(scopePattern, 'a scope such as @myorg').transform((scopes) =>
    scopes.map(normaliseScope),
  ),
  REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM: list(namePattern, 'a package name or pattern such as @types/*'),
  REGISTRY_UPSTREAM_MEMORY: byteSizeVariable('128mb'),
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
