import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseConfig, ValidationError, z } from '@myorg/validation';
import type { AccessRulesFile } from '../access/accessRules.ts';
import { accessVariables } from '../access/accessVariables.ts';
import { policyVariables, releaseAgeConfig } from '../policy/policyConfig.ts';
import type { ReleaseAgeConfig } from '../policy/releaseAge.ts';
import { type UpstreamConfig, upstreamConfig, upstreamVariables } from '../upstream/upstreamConfig.ts';
import { byteSizeVariable, durationVariable, httpUrl } from './variables.ts';

/** The registry's settings, the same for the local server and (later) Lambda. */
export interface RegistryConfig {
  /** TCP port; 0 picks a free one. */
  port: number;
  host: string;
  /** Where the data lives, for `storageFromUrl` of @myorg/storage: `file:///abs/path`, `s3://bucket/prefix` or `memory://`. */
  storage: string;
  /** REGISTRY_S3_KMS_KEY_ID: an s3 storage encrypts with SSE-KMS under this key; undefined: SSE-S3. */
  s3KmsKeyId: string | undefined;
  /** The URL clients reach the registry at, without a trailing slash; undefined: derived per request. */
  publicUrl: string | undefined;
  /** Who callers are: REGISTRY_AUTH and, for `github`, its settings. */
  auth: { provider: 'local' } | { provider: 'github'; github: GitHubConfig };
  /** Who may do what, the same for every provider. */
  access: AccessConfig;
  /** Whether `npm adduser` may create accounts (REGISTRY_ALLOW_REGISTRATION); off by default. */
  allowRegistration: boolean;
  /** Whether callers without a token may read (REGISTRY_PUBLIC_READ); off by default. */
  publicRead: boolean;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Largest tarball uploaded straight to storage (REGISTRY_MAX_UPLOAD), in bytes. */
  maxUploadBytes: number;
  /** REGISTRY_PACKUMENT_MEMORY: most bytes of local packuments and the bodies served from them kept in memory. */
  packumentCacheBytes: number;
  /** Most bytes of recently served tarballs kept in memory (REGISTRY_TARBALL_MEMORY); 0 keeps none. */
  tarballMemoryBytes: number;
  /** Age after which leftovers of interrupted writes (staged tarballs, temporary files) are swept, in ms. */
  temporaryMaxAgeMs: number;
  /** The upstream proxy: REGISTRY_UPSTREAM (`url` undefined for `none`) and its settings. */
  upstream: UpstreamConfig;
  /** REGISTRY_MIN_RELEASE_AGE, its overrides and allow-list (README "Supply-chain policy"). */
  releaseAge: ReleaseAgeConfig;
  /** REGISTRY_METRICS_TOKEN: the Bearer token `GET /-/metrics` requires; undefined: open. */
  metricsToken: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** REGISTRY_GITHUB_*: sign-in with GitHub (REGISTRY_AUTH=github). */
export interface GitHubConfig {
  /** Web URL, for the OAuth flow: `https://github.com` or a GitHub Enterprise Server. */
  webUrl: string;
  /** REST API URL: `https://api.github.com` or `https://<ghes>/api/v3`. */
  apiUrl: string;
  /** The OAuth app's client id and secret, for `npm login` in a browser. */
  clientId: string;
  clientSecret: string;
  /** The registry's own token (read:org) that checks org and team memberships. */
  token: string;
  /** Lower case; active membership of one of them is needed for anything. */
  orgs: string[];
  /** How long a user's memberships are trusted before GitHub is asked again, in ms. */
  membershipTtlMs: number;
}

export interface AccessConfig {
  /** REGISTRY_ACCESS_RULES, parsed (empty when unset). */
  rules: AccessRulesFile;
  /** REGISTRY_ADMINS, lower case. */
  admins: string[];
  /** REGISTRY_TOKEN_MAX_AGE: longest life of a token that can publish, in ms. */
  tokenMaxAgeMs: number;
  /** Trusted publishing: the OIDC issuer whose id-tokens are exchanged, and the life of the token given. */
  oidc: { issuer: string; tokenTtlMs: number };
}

export interface RegistryConfigDefaults {
  /** `REGISTRY_STORAGE` when unset, e.g. `file:///<workspace>/data`. */
  storage: string;
  /** `REGISTRY_UPSTREAM` when unset: `serve` passes the user's npm registry; otherwise `none`. */
  upstream?: string;
}

const DEFAULT_MAX_BODY = '200mb';

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const schema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0 (any free port) or more')
    .max(65535, 'must be at most 65535')
    .default(4873),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  REGISTRY_STORAGE: z.string().transform((value, ctx) => {
    const location = storageUrl(value);
    if (location === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be file:///absolute/path, s3://bucket/prefix or memory://',
      });
      return z.NEVER;
    }
    return location;
  }),
  REGISTRY_S3_KMS_KEY_ID: z
    .string()
    .trim()
    .regex(/^[\w:/+=,.@-]+$/, 'must be a KMS key id, alias or ARN')
    .optional(),
  REGISTRY_PUBLIC_URL: z
    .string()
    .optional()
    .transform((text) => text?.trim() || undefined)
    .pipe(
      httpUrl('must be an http(s) URL without query or fragment')
        .transform((url) => `${url.origin}${url.pathname}`.replace(/\/+$/, ''))
        .optional(),
    ),
  ...accessVariables,
  // A private registry is closed by default: accounts come from an administrator, reads need a token.
  REGISTRY_ALLOW_REGISTRATION: booleanText.default(false),
  REGISTRY_PUBLIC_READ: booleanText.default(false),
  REGISTRY_MAX_BODY: byteSizeVariable(DEFAULT_MAX_BODY),
  REGISTRY_MAX_UPLOAD: byteSizeVariable(DEFAULT_MAX_BODY),
  // With REGISTRY_UPSTREAM_MEMORY and REGISTRY_TARBALL_MEMORY, caches stay under about 145 MB: peak RSS under 250 MiB.
  REGISTRY_PACKUMENT_MEMORY: byteSizeVariable('48mb'),
  REGISTRY_TARBALL_MEMORY: byteSizeVariable('32mb', { allowZero: true }),
  // Far above the longest publish: a younger leftover may belong to a write still running.
  REGISTRY_TEMPORARY_MAX_AGE: durationVariable('1h', 60_000),
  ...upstreamVariables,
  ...policyVariables,
  REGISTRY_METRICS_TOKEN: z.string().trim().min(1, 'must not be blank').optional(),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error', 'silent'], {
      error: 'must be debug, info, warn, error or silent',
    })
    .default('info'),
});

/**
 * The registry configuration from environment variables. Unset and empty variables take their
 * defaults; every invalid one is reported in one ValidationError (`invalid registry configuration:
 * PORT: ...; REGISTRY_MAX_BODY: ...`), so a deployment is fixed in one go.
 */
export function parseRegistryConfig(
  env: Readonly<Record<string, string | undefined>>,
  defaults: RegistryConfigDefaults,
): RegistryConfig {
  const input: Record<string, string> = { REGISTRY_STORAGE: defaults.storage };
  if (defaults.upstream !== undefined) input.REGISTRY_UPSTREAM = defaults.upstream;
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = parseConfig(schema, input, 'registry configuration');
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    storage: parsed.REGISTRY_STORAGE,
    s3KmsKeyId: parsed.REGISTRY_S3_KMS_KEY_ID,
    publicUrl: parsed.REGISTRY_PUBLIC_URL,
    auth: authConfig(parsed),
    access: {
      rules: parsed.REGISTRY_ACCESS_RULES,
      admins: parsed.REGISTRY_ADMINS,
      tokenMaxAgeMs: parsed.REGISTRY_TOKEN_MAX_AGE,
      oidc: { issuer: parsed.REGISTRY_OIDC_ISSUER, tokenTtlMs: parsed.REGISTRY_OIDC_TOKEN_TTL },
    },
    allowRegistration: parsed.REGISTRY_ALLOW_REGISTRATION,
    publicRead: parsed.REGISTRY_PUBLIC_READ,
    maxBodyBytes: parsed.REGISTRY_MAX_BODY,
    maxUploadBytes: parsed.REGISTRY_MAX_UPLOAD,
    packumentCacheBytes: parsed.REGISTRY_PACKUMENT_MEMORY,
    tarballMemoryBytes: parsed.REGISTRY_TARBALL_MEMORY,
    temporaryMaxAgeMs: parsed.REGISTRY_TEMPORARY_MAX_AGE,
    upstream: upstreamConfig(parsed),
    releaseAge: releaseAgeConfig(parsed),
    metricsToken: parsed.REGISTRY_METRICS_TOKEN,
    logLevel: parsed.LOG_LEVEL,
  };
}

/** The provider's settings; GitHub sign-in needs all of its variables, reported together when missing. */
function authConfig(parsed: z.output<typeof schema>): RegistryConfig['auth'] {
  if (parsed.REGISTRY_AUTH === 'local') return { provider: 'local' };
  const {
    REGISTRY_GITHUB_CLIENT_ID: clientId,
    REGISTRY_GITHUB_CLIENT_SECRET: clientSecret,
    REGISTRY_GITHUB_TOKEN: token,
    REGISTRY_GITHUB_ORGS: orgs,
  } = parsed;
  const missing = [
    clientId
      ? undefined
      : "REGISTRY_GITHUB_CLIENT_ID: the OAuth app's client id is required with REGISTRY_AUTH=github",
    clientSecret
      ? undefined
      : "REGISTRY_GITHUB_CLIENT_SECRET: the OAuth app's client secret is required with REGISTRY_AUTH=github",
    token
      ? undefined
      : 'REGISTRY_GITHUB_TOKEN: a token that can read org membership (read:org) is required with REGISTRY_AUTH=github',
    orgs.length > 0
      ? undefined
      : 'REGISTRY_GITHUB_ORGS: at least one organisation is required with REGISTRY_AUTH=github',
  ].filter((problem): problem is string => problem !== undefined);
  if (!clientId || !clientSecret || !token || orgs.length === 0) {
    throw new ValidationError(missing, { subject: 'invalid registry configuration' });
  }
  return {
    provider: 'github',
    github: {
      webUrl: parsed.REGISTRY_GITHUB_URL,
      apiUrl: parsed.REGISTRY_GITHUB_API_URL,
      clientId,
      clientSecret,
      token,
      orgs,
      membershipTtlMs: parsed.REGISTRY_GITHUB_MEMBERSHIP_TTL,
    },
  };
}

/** The storage URL in its normal form, or undefined when it names no usable location. */
function storageUrl(value: string): string | undefined {
  if (value === 'memory:' || value === 'memory://') return 'memory://';
  // The S3 backend checks the rest of an s3 URL (bucket, prefix) when it opens.
  if (value.startsWith('s3://'))
    return URL.canParse(value) && new URL(value).hostname !== '' ? value : undefined;
  if (!value.startsWith('file://') || !URL.canParse(value)) return undefined;
  try {
    const path = fileURLToPath(value);
    return isAbsolute(path) ? pathToFileURL(path).href : undefined;
  } catch {
    // A host part (file://server/share) or an encoded "/" has no local path.
    return undefined;
  }
}
