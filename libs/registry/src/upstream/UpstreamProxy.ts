import { ContentType, Header } from '@myorg/constants';
import { ForbiddenError, isAppError, ServiceUnavailableError } from '@myorg/error';
import { type Logger, noopLogger } from '@myorg/logger';
import { type HttpResponse, type PreparedBody, prepareBody } from '@myorg/response';
import { RegistryClient, type RelayedAnswer } from '@myorg/services';
import type { ObjectStorage } from '@myorg/storage';
import { attestationsPath } from '../packument/tarballPath.ts';
import type { PackumentForm, VersionManifest } from '../packument/types.ts';
import type { PackageRules } from '../policy/SupplyChainPolicy.ts';
import { TarballMemory } from '../storage/TarballMemory.ts';
import { UpstreamMessages } from './messages.ts';
import { PackagePolicy } from './PackagePolicy.ts';
import { UpstreamCopies } from './UpstreamCopies.ts';
import { UpstreamFetcher } from './UpstreamFetcher.ts';
import { UpstreamGate, type UpstreamGateState } from './UpstreamGate.ts';
import { UpstreamPackuments } from './UpstreamPackuments.ts';
import { UpstreamRecords } from './UpstreamRecords.ts';
import { type TarballInfo, type UpstreamTarball, UpstreamTarballs } from './UpstreamTarballs.ts';
import { localisedVersion, resolveUpstreamVersion, upstreamVersion } from './upstreamDocument.ts';
import { failureReason, unavailableError } from './upstreamFailure.ts';
import { type AuditKind, withoutPrivatePackages } from './withoutPrivatePackages.ts';

export interface UpstreamProxyOptions {
  /** The upstream registry's base URL (REGISTRY_UPSTREAM); a path prefix is kept. */
  url: string;
  /** Where fetched documents and tarballs are kept, under `upstream/`. */
  storage: ObjectStorage;
  /** Recently served tarballs' bytes, shared with the published ones; none kept when omitted. */
  tarballMemory?: TarballMemory;
  /** How long a fetched document is served before it is revalidated (REGISTRY_UPSTREAM_MAX_AGE). 2 minutes by default. */
  maxAgeMs?: number;
  /** Limit for each upstream request, and for a tarball each chunk (REGISTRY_UPSTREAM_TIMEOUT). 15 s by default. */
  timeoutMs?: number;
  /** Scopes never asked of the upstream (REGISTRY_PRIVATE_SCOPES), e.g. `@myorg`. */
  privateScopes?: readonly string[];
  /** Names or `*` patterns that may be published here although the upstream has them (REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM). */
  allowPublishOverUpstream?: readonly string[];
  /** Most upstream requests in flight at once. 32 by default. */
  maxConcurrent?: number;
  /** Consecutive failures that mark the upstream down. 3 by default. */
  failuresBeforeDown?: number;
  /** How long the upstream stays marked down. 10 s by default. */
  downForMs?: number;
  /** Most bytes of documents and served bodies kept in memory (REGISTRY_UPSTREAM_MEMORY). 64 MB by default. */
  maxCachedBytes?: number;
  logger?: Logger;
  /** The clock for freshness, in ms since the epoch. */
  now?: () => number;
  /** Told of each packument and tarball lookup's outcome (the registry's metrics). */
  onLookup?: UpstreamLookupObserver;
}

/**
 * How an upstream lookup went: `hit` answered from a copy held here without asking the upstream,
 * `miss` asked the upstream (a fetch or a revalidation, shared by concurrent lookups) and got its
 * answer, `failure` asked and did not (refusals while it is marked down included).
 */
export type UpstreamLookupObserver = (
  kind: 'packument' | 'tarball',
  result: 'hit' | 'miss' | 'failure',
) => void;

/** A body to send, and whether it comes from a copy the upstream could not confirm. */
export interface ProxiedBody {
  body: PreparedBody;
  stale: boolean;
}

export type { TarballInfo, UpstreamTarball };

const DEFAULT_MAX_AGE_MS = 2 * 60_000;
/**
 * How long the upstream's signing keys are answered from memory: every `npm audit signatures` asks
 * for them once, and they change only when the upstream rotates a key, announced months ahead.
 */
const KEYS_MAX_AGE_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 15_000;
/** 64 MB: REGISTRY_UPSTREAM_MEMORY's default. */
const DEFAULT_UPSTREAM_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The upstream proxy: packages not published here are answered from the upstream registry, kept
 * durably and served on when the upstream fails. It never answers for private scopes, and the
 * routes ask it only after finding no local package, so a local package always wins and is never
 * merged with the upstream's versions.
 */
export class UpstreamProxy {
  /** The upstream's base URL, as configured. */
  readonly url: string;
  readonly #policy: PackagePolicy;
  readonly #packuments: UpstreamPackuments;
  readonly #tarballs: UpstreamTarballs;
  readonly #gate: UpstreamGate;
  readonly #copies: UpstreamCopies;
  readonly #client: RegistryClient;
  readonly #now: () => number;
  /** The upstream's last answer to `GET /-/npm/v1/keys`, and when it came. */
  #keys: { answer: RelayedAnswer; at: number } | undefined;

  constructor(options: UpstreamProxyOptions) {
    const { storage, logger = noopLogger, now = Date.now } = options;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.url = options.url;
    this.#now = now;
    this.#policy = new PackagePolicy(options);
    // One attempt per request: a client retries on its own, and a retry here would only keep a
    // slot busy behind a failing upstream.
    this.#client = new RegistryClient({ registry: options.url, timeoutMs, retries: 0 });
    this.#gate = new UpstreamGate({
      maxConcurrent: options.maxConcurrent ?? 32,
      queueTimeoutMs: timeoutMs,
      failuresBeforeDown: options.failuresBeforeDown ?? 3,
      downForMs: options.downForMs ?? 10_000,
      now,
    });
    this.#copies = new UpstreamCopies({
      records: new UpstreamRecords({ storage, logger }),
      maxBytes: options.maxCachedBytes ?? DEFAULT_UPSTREAM_CACHE_BYTES,
    });
    this.#packuments = new UpstreamPackuments({
      fetcher: new UpstreamFetcher({ client: this.#client, gate: this.#gate, now }),
      copies: this.#copies,
      maxAgeMs: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
      logger,
      now,
      onLookup: options.onLookup,
    });
    this.#tarballs = new UpstreamTarballs({
      client: this.#client,
      gate: this.#gate,
      storage,
      memory: options.tarballMemory ?? new TarballMemory({ maxBytes: 0 }),
      timeoutMs,
      onLookup: options.onLookup,
    });
  }

  /** The circuit breaker towards the upstream (health checks). */
  get state(): UpstreamGateState {
    return this.#gate.state;
  }

  /** How many packages and bytes of upstream copies (bodies included) are held in memory. */
  get cacheSize(): { entries: number; bytes: number } {
    return this.#copies.size;
  }

  /** Whether `name` belongs to a private scope, which the upstream never answers for. */
  isPrivate(name: string): boolean {
    return this.#policy.isPrivateScope(name);
  }

  /**
   * The packument of `name` in `form` with tarball URLs under `baseUrl` and without what `rules`
   * withhold, or undefined when the upstream has none. Rules that judge release times need the
   * full form's `time`, so that form is fetched then.
   */
  async packument(
    name: string,
    form: PackumentForm,
    baseUrl: string,
    rules?: PackageRules,
  ): Promise<ProxiedBody | undefined> {
    if (this.isPrivate(name)) return undefined;
    const found = await this.#packuments.lookup(name, rules?.needsTime ? 'full' : form);
    if (found === undefined) return undefined;
    return { body: await this.#packuments.body(found.copy, form, baseUrl, rules), stale: found.stale };
  }

  /**
   * The full document of `name` as `packument` serves it (tarball URLs under `baseUrl`, without
   * what `rules` withhold), for a reader rather than a client (the web UI's package page); its
   * shape is the upstream's. Undefined when the upstream has none.
   */
  async document(
    name: string,
    baseUrl: string,
    rules?: PackageRules,
  ): Promise<{ document: object; stale: boolean } | undefined> {
    if (this.isPrivate(name)) return undefined;
    const found = await this.#packuments.lookup(name, 'full');
    if (found === undefined) return undefined;
    return { document: this.#packuments.served(found.copy, 'full', baseUrl, rules), stale: found.stale };
  }

  /** One version's manifest by version or dist-tag (`GET /:pkg/:version`) as `rules` allow, or undefined. */
  async version(
    name: string,
    spec: string,
    baseUrl: string,
    rules?: PackageRules,
  ): Promise<ProxiedBody | undefined> {
    if (this.isPrivate(name)) return undefined;
    const found = await this.#packuments.lookup(name, 'full');
    if (found === undefined) return undefined;
    const { document } = found.copy;
    const served =
      rules === undefined
        ? spec
        : rules.resolve(spec, document['dist-tags'], document.versions, document.time);
    const manifest = served === undefined ? undefined : resolveUpstreamVersion(document, served);
    if (manifest === undefined) return undefined;
    const bytes = Buffer.from(JSON.stringify(localisedVersion(manifest, baseUrl)));
    return { body: prepareBody(bytes, { contentType: ContentType.JSON }), stale: found.stale };
  }

  /** The dist-tags of `name` (`npm dist-tag ls`) as the upstream lists them and `rules` allow, or undefined. */
  async distTags(name: string, rules?: PackageRules): Promise<ProxiedBody | undefined> {
    if (this.isPrivate(name)) return undefined;
    const found = await this.#packuments.lookup(name, rules?.needsTime ? 'full' : 'abbreviated');
    if (found === undefined) return undefined;
    const { document } = found.copy;
    const listed =
      rules === undefined
        ? document['dist-tags']
        : rules.tags(document['dist-tags'], document.versions, document.time);
    const tags = Object.entries(listed).filter(([, version]) => typeof version === 'string');
    const bytes = Buffer.from(JSON.stringify(Object.fromEntries(tags)));
    return { body: prepareBody(bytes, { contentType: ContentType.JSON }), stale: found.stale };
  }

  /**
   * The tarball of `name@version` to send, streamed from the upstream while it is stored if need
   * be; undefined when unknown. A version `rules` withhold is refused with their error.
   */
  async openTarball(
    name: string,
    version: string,
    rules?: PackageRules,
  ): Promise<UpstreamTarball | undefined> {
    const manifest = await this.#manifest(name, version, rules);
    return manifest && this.#tarballs.open(manifest);
  }

  /** As openTarball, for HEAD: the size and ETag without the bytes. */
  async headTarball(
    name: string,
    version: string,
    rules?: PackageRules,
  ): Promise<(TarballInfo & { size: number }) | undefined> {
    const manifest = await this.#manifest(name, version, rules);
    return manifest && this.#tarballs.head(manifest);
  }

  /**
   * Refuses (403) the first publish of `name` when the upstream has a package of that name, unless
   * it is in a private scope or allowed by pattern: publishing it would silently replace the public
   * package for every client of this registry. When the upstream cannot say, the publish is refused
   * too (503), since letting it through is the unsafe guess.
   */
  async assertPublishable(name: string): Promise<void> {
    if (this.isPrivate(name) || this.#policy.mayPublishOverUpstream(name)) return;
    let found: unknown;
    try {
      found = await this.#packuments.lookup(name, 'abbreviated');
    } catch (error) {
      throw new ServiceUnavailableError(UpstreamMessages.publishCheckFailed(name, failureReason(error)), {
        cause: error,
        headers: isAppError(error) ? error.headers : {},
      });
    }
    if (found !== undefined) {
      throw new ForbiddenError(UpstreamMessages.publishOverUpstream(name), { code: 'EPUBLISHUPSTREAM' });
    }
  }

  /**
   * Forwards an npm audit request to the upstream, without the packages `isPrivate` names (and
   * without private scopes), and relays the answer.
   */
  async audit(
    kind: AuditKind,
    body: Record<string, unknown>,
    isLocal: (name: string) => Promise<boolean>,
  ): Promise<HttpResponse> {
    const path = kind === 'bulk' ? '-/npm/v1/security/advisories/bulk' : '-/npm/v1/security/audits/quick';
    const isPrivate = async (name: string) => this.isPrivate(name) || (await isLocal(name));
    // The body was checked (depth, size, members) before this point: whatever fails from
    // here on is the upstream's doing, and only its unavailability counts against it (the gate).
    const publicOnly = await withoutPrivatePackages(kind, body, isPrivate);
    return relayed(
      await this.#relay(() => this.#client.post(path, publicOnly), UpstreamMessages.auditNeedsUpstream),
    );
  }

  /**
   * The upstream's registry signing keys (`GET /-/npm/v1/keys`), relayed as it answers, kept for
   * five minutes: with them npm checks the `dist.signatures` proxied versions keep.
   */
  async keys(): Promise<HttpResponse> {
    const held = this.#keys;
    if (held !== undefined && this.#now() - held.at < KEYS_MAX_AGE_MS) return relayed(held.answer);
    const answer = await this.#relay(
      () => this.#client.get('-/npm/v1/keys'),
      UpstreamMessages.keysNeedUpstream,
    );
    if (answer.status === 200) this.#keys = { answer, at: this.#now() };
    return relayed(answer);
  }

  /**
   * The attestations of a proxied version (`GET /-/npm/v1/attestations/<name>@<version>`), relayed
   * as the upstream answers, its 404 included; undefined for a private scope.
   */
  async attestations(name: string, version: string): Promise<HttpResponse | undefined> {
    if (this.isPrivate(name)) return undefined;
    const consequence = UpstreamMessages.attestationsNeedUpstream(`${name}@${version}`);
    return relayed(await this.#relay(() => this.#client.get(attestationsPath(name, version)), consequence));
  }

  /** One request through the gate; an upstream that cannot answer is a 503 or 504 saying `consequence`. */
  async #relay(request: () => Promise<RelayedAnswer>, consequence: string): Promise<RelayedAnswer> {
    try {
      return await this.#gate.run(request);
    } catch (error) {
      // A fault of this process (not an AppError) is a 500, not an upstream outage.
      if (!isAppError(error)) throw error;
      throw unavailableError(consequence, error);
    }
  }

  /**
   * The manifest of `name@version` from any copy held, however old (versions do not change); the
   * upstream is asked only when no copy has the version, in case it was published since, or when
   * `rules` need its release time and the copy held lacks it (an abbreviated copy). A version the
   * rules withhold is refused.
   */
  async #manifest(name: string, version: string, rules?: PackageRules): Promise<VersionManifest | undefined> {
    if (this.isPrivate(name)) return undefined;
    const started = this.#now();
    const copy = await this.#packuments.held(name);
    const held = copy && upstreamVersion(copy.document, version);
    if (copy !== undefined && held !== undefined && !(rules?.needsTime && copy.form !== 'full')) {
      rules?.assertServed(version, copy.document.time);
      return held;
    }
    const found = await this.#packuments.lookup(name, rules?.needsTime ? 'full' : 'abbreviated', started);
    if (found === undefined) return undefined;
    const manifest = upstreamVersion(found.copy.document, version);
    if (manifest === undefined && found.stale) {
      throw unavailableError(UpstreamMessages.notCached(`${name}@${version}`), found.failure);
    }
    if (manifest !== undefined) rules?.assertServed(version, found.copy.document.time);
    return manifest;
  }
}

/** The upstream's answer as this registry's response. */
function relayed(answer: RelayedAnswer): HttpResponse {
  const headers = { [Header.CONTENT_TYPE]: answer.contentType ?? ContentType.JSON };
  return { status: answer.status, headers, body: answer.body };
}
