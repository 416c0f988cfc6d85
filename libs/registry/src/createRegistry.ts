import { Header } from '@myorg/constants';
import { noopLogger } from '@myorg/logger';
import {
  bodyLimit,
  compose,
  cors,
  errorMapping,
  type Handler,
  type HttpRequest,
  type RequestContext,
  requestId,
  requestLogging,
  type TooLargeMessage,
} from '@myorg/middleware';
import type { HttpResponse } from '@myorg/response';
import type { ObjectStorage } from '@myorg/storage';
import { AccessPolicy } from './access/AccessPolicy.ts';
import { AccessRules, type AccessRulesFile } from './access/accessRules.ts';
import type { Principal } from './auth/Principal.ts';
import { requirePrincipal } from './auth/requirePrincipal.ts';
import type { TokenDependencies } from './auth/tokens/TokenDependencies.ts';
import type { AuthProvider } from './auth/types.ts';
import { RegistryEvents, recordEvent } from './events/RegistryEvents.ts';
import { createRouter, type RouteMatch } from './http/createRouter.ts';
import { normalisePrefix, type RequestLocation, requestLocation } from './http/requestLocation.ts';
import { httpErrorOf } from './http/storageErrorMapping.ts';
import type { RegistryContext, Route } from './http/types.ts';
import { HealthCheck } from './observability/HealthCheck.ts';
import { observabilityRoutes } from './observability/observabilityRoutes.ts';
import { RegistryMetrics, rememberRoute } from './observability/RegistryMetrics.ts';
import { BlockList } from './policy/BlockList.ts';
import type { ReleaseAgeConfig } from './policy/releaseAge.ts';
import { SupplyChainPolicy } from './policy/SupplyChainPolicy.ts';
import { auditTrailRoutes } from './routes/auditTrailRoutes.ts';
import { changeRoutes } from './routes/changeRoutes.ts';
import { distTagRoutes } from './routes/distTagRoutes.ts';
import { packumentBody, packumentRoutes } from './routes/packumentRoutes.ts';
import { pingRoutes } from './routes/pingRoutes.ts';
import { publishRoutes } from './routes/publishRoutes.ts';
import { searchRoutes } from './routes/searchRoutes.ts';
import { signatureRoutes } from './routes/signatureRoutes.ts';
import { tarballRoutes } from './routes/tarballRoutes.ts';
import { uploadRoutes } from './routes/uploadRoutes.ts';
import { SearchIndex } from './search/SearchIndex.ts';
import { AttestationStore } from './storage/AttestationStore.ts';
import { DirectReads, type DirectReadsOptions } from './storage/DirectReads.ts';
import { type PackumentCacheOptions, PackumentRepository } from './storage/PackumentRepository.ts';
import { TarballMemory } from './storage/TarballMemory.ts';
import { TarballStore } from './storage/TarballStore.ts';
import { trustedPublishingRoutes } from './trustedPublishing/trustedPublishingRoutes.ts';
import { prepareUiAssets } from './ui/assets/uiAssets.ts';
import { sessionAuthorization } from './ui/session.ts';
import { uiRoutes, wantsPage } from './ui/uiRoutes.ts';
import { auditRoutes } from './upstream/auditRoutes.ts';
import { UpstreamProxy, type UpstreamProxyOptions } from './upstream/UpstreamProxy.ts';

/** 200 MB: what REGISTRY_MAX_BODY defaults to. */
export const DEFAULT_MAX_BODY_BYTES = 200 * 1024 * 1024;
/** 32 MB: far above a package.json, and above the packuments of all but the largest public packages. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;
export const DEFAULT_TARBALL_MEMORY_BYTES = 32 * 1024 * 1024;

export interface CreateRegistryOptions {
  /** Where packuments and tarballs live (see README "Storage layout"). */
  storage: ObjectStorage;
  /** Who callers are: `local` users and tokens, or another provider; its routes are mounted too. */
  auth: AuthProvider;
  /**
   * Whether callers without a token may read (REGISTRY_PUBLIC_READ): the `read` of every package no
   * access rule matches (`$all` or `$authenticated`). When false, every endpoint but `npm ping`,
   * login and the packages a rule opens to `$all` answers 401 to them.
   */
  publicRead: boolean;
  /**
   * Who may read and change which packages (README "Access rules"): the rule file
   * (REGISTRY_ACCESS_RULES) and the administrators (REGISTRY_ADMINS). Without rules every package
   * is read as `publicRead` says and changed by its owners.
   */
  access?: {
    rules?: AccessRulesFile;
    admins?: readonly string[];
    /**
     * npm's trusted publishing from CI (`POST /-/npm/v1/oidc/token/exchange/package/:pkg`): whose
     * id-tokens are accepted (REGISTRY_OIDC_ISSUER) and the life of the tokens handed out for
     * them (REGISTRY_OIDC_TOKEN_TTL); the rule file's `trustedPublishers` say which workflows may
     * publish what. Not offered when unset.
     */
    oidc?: { issuer: string; tokenTtlMs: number };
  };
  /**
   * The URL clients use (REGISTRY_PUBLIC_URL). When unset, each request's Host and X-Forwarded-*
   * headers decide. A path in it is the mount point: requests may arrive with or without it.
   */
  publicUrl?: string;
  /** Largest request body, enforced while it streams in (413). Defaults to 200 MB. */
  maxBodyBytes?: number;
  /** Words the 413 for a body over `maxBodyBytes`: a transport with a hard cap says why, and what to do. */
  bodyTooLargeMessage?: TooLargeMessage;
  /**
   * Serve tarballs, and packument bodies larger than the transport carries, by a 302 to a
   * short-lived signed URL at storage (which must have `signedUrl`). For AWS Lambda; the local
   * server streams everything itself.
   */
  directReads?: DirectReadsOptions;
  /**
   * Largest tarball a client may upload straight to storage (`POST /-/myorg/v1/uploads`, offered
   * only when the storage can sign URLs); unlike `maxBodyBytes` it does not bound a request.
   * Defaults to 200 MB.
   */
  maxUploadBytes?: number;
  /**
   * Largest part of a `PUT /:pkg` body other than the tarball's data (the manifest, or the
   * packument `npm deprecate` sends), held in memory while it is checked (413). Defaults to 32 MB
   * or `maxBodyBytes` when that is less.
   */
  maxDocumentBytes?: number;
  /**
   * The upstream registry to proxy for packages not published here (see README "Upstream proxy");
   * what it fetches is kept in `storage` under `upstream/`. Defaults to none.
   */
  upstream?: Omit<UpstreamProxyOptions, 'storage' | 'tarballMemory'>;
  cache?: PackumentCacheOptions;
  /**
   * Most bytes of recently served tarballs (published and upstream) kept in memory, sent without
   * reading storage (REGISTRY_TARBALL_MEMORY). Defaults to 32 MiB; 0 keeps none.
   */
  tarballMemoryBytes?: number;
  /**
   * Build the search index (`npm search`, the web UI) as the registry is created rather than at the
   * first search, which reads every stored packument: a long-running server's first search then
   * answers at once. Off for Lambda, whose cold starts it would lengthen.
   */
  warmSearch?: boolean;
  /**
   * The minimum release age (REGISTRY_MIN_RELEASE_AGE, its overrides and allow-list; README
   * "Supply-chain policy"). Off by default. The block list is read from `storage` whatever this says.
   */
  releaseAge?: ReleaseAgeConfig;
  /**
   * The Bearer token `GET /-/metrics` requires (REGISTRY_METRICS_TOKEN); the metrics are open to
   * anyone who reaches the registry when unset.
   */
  metricsToken?: string;
  /**
   * The `instance` label of every metric: the process whose counts a scrape reads (on Lambda, the
   * container's log stream, since each container counts on its own). No label when unset.
   */
  metricsInstance?: string;
  /** The clock for `time` fields and release ages; defaults to the system clock. */
  now?: () => Date;
  /**
   * Where publishes, changes, logins, token events and refusals are told (`createRegistryEvents`:
   * the audit trail and webhooks); the metrics subscribe to it too. Without it, the registry's own
   * emitter only feeds the metrics: nothing is recorded, and `GET /-/audit` still reads storage.
   */
  events?: RegistryEvents;
}

const NO_RELEASE_AGE: ReleaseAgeConfig = { minAgeMs: 0, overrides: [], allow: [] };

/**
 * The registry as a transport-free handler (request in, response out): routing, authentication,
 * every protocol endpoint and the storage behind them. Serve it with `createNodeListener` from
 * @myorg/middleware, or any other adapter.
 */
export function createRegistry(options: CreateRegistryOptions): Handler {
  const {
    storage,
    auth,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    maxUploadBytes = DEFAULT_MAX_BODY_BYTES,
    now = () => new Date(),
  } = options;
  const maxDocumentBytes = Math.min(options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES, maxBodyBytes);
  // Search builds its index from every packument on its first search, and learns of every write.
  const search = new SearchIndex(() => packuments.all());
  const packuments = new PackumentRepository(storage, {
    cache: options.cache,
    onWrite: (packument) => search.update(packument),
  });
  if (options.warmSearch) void search.warm();
  const tarballMemory = new TarballMemory({
    maxBytes: options.tarballMemoryBytes ?? DEFAULT_TARBALL_MEMORY_BYTES,
  });
  const tarballs = new TarballStore(storage, tarballMemory);
  const attestations = new AttestationStore(storage);
  const direct = options.directReads && new DirectReads(storage, options.directReads);
  const metrics = new RegistryMetrics({
    cacheSizes: () => {
      const { packages, bytes } = packuments.size;
      const copies = upstream?.cacheSize;
      return {
        packuments: { entries: packages, bytes },
        tarballs: tarballMemory.size,
        ...(copies && { upstream: copies }),
      };
    },
    upstreamDown: () => upstream && upstream.state.breaker === 'open',
    instance: options.metricsInstance,
  });
  const events = options.events ?? new RegistryEvents({ logger: noopLogger });
  events.subscribe(metrics);
  const upstream: UpstreamProxy | undefined =
    options.upstream &&
    new UpstreamProxy({ ...options.upstream, storage, tarballMemory, onLookup: metrics.upstreamLookup });
  const health = new HealthCheck(storage, () => upstream?.state);
  // With direct reads, a packument too large to pass is stored as its publish lands, not by its first reader.
  const storeLarge =
    direct &&
    (async (name: string, baseUrl: string) => {
      for (const form of ['abbreviated', 'full'] as const) {
        const body = await packumentBody(packuments, name, form, baseUrl);
        if (body !== undefined) await direct.storeLarge(name, body);
      }
    });
  const rules = new AccessRules(options.access?.rules ?? { packages: [], trustedPublishers: [] }, {
    publicRead: options.publicRead,
  });
  const oidc = options.access?.oidc;
  const access = new AccessPolicy({
    rules,
    admins: options.access?.admins,
    requiredGroups: auth.requiredGroups,
  });
  const isLocal = async (name: string) => (await packuments.read(name)) !== undefined;
  const policy = new SupplyChainPolicy({
    releaseAge: options.releaseAge ?? NO_RELEASE_AGE,
    blocks: new BlockList(storage, { now: () => now().getTime() }),
    now: () => now().getTime(),
  });
  const changes = { packuments, tarballs, access, now, userExists: (name: string) => auth.userExists(name) };
  const ui = uiRoutes({
    search,
    packuments,
    tarballs,
    access,
    auth,
    assets: prepareUiAssets(),
    publicRead: options.publicRead,
    upstream,
    policy,
  });

  const routes: Route[] = [
    ...pingRoutes(),
    ...observabilityRoutes(health, metrics, options.metricsToken),
    ...auth.routes(),
    ...(oidc === undefined ? [] : trustedPublishingRoutes({ rules, ...oidc }, tokensOf(auth))),
    ...searchRoutes(search, access, policy, packuments),
    ...distTagRoutes(packuments, access, upstream, now, policy),
    ...packumentRoutes(packuments, access, upstream, direct, policy),
    ...tarballRoutes(packuments, tarballs, access, upstream, direct, policy),
    ...uploadRoutes(tarballs, access, maxUploadBytes),
    ...publishRoutes(
      { packuments, tarballs, attestations, access, upstream, now },
      changes,
      { maxDocumentBytes, maxUploadBytes },
      storeLarge,
    ),
    ...changeRoutes(changes),
    ...auditRoutes(upstream, isLocal),
    ...signatureRoutes(packuments, attestations, access, upstream),
    ...ui.routes,
    ...auditTrailRoutes(storage, access, now),
  ];
  const router = createRouter(routes);
  const pages = createRouter(ui.pages);
  const publicLocation = options.publicUrl === undefined ? undefined : fixedLocation(options.publicUrl);

  /** Runs the matched route for a caller known (or known to be anonymous), after the registry-wide checks. */
  const run = (
    req: HttpRequest,
    ctx: RequestContext,
    { route, params }: RouteMatch,
    baseUrl: string,
    path: string,
    principal: Principal | undefined,
  ): Promise<HttpResponse> => {
    const registryContext: RegistryContext = {
      ...ctx,
      baseUrl,
      path,
      principal,
      remoteAddress: req.remoteAddress,
      events,
    };
    // Package routes ask the access policy themselves (its rules may open a package to anyone); the
    // rest need a signed-in caller when reads are private, and one in the provider's required groups.
    if (!route.anonymous && !route.packageAccess) {
      if (!options.publicRead && principal === undefined) {
        recordEvent(registryContext, {
          action: 'read',
          outcome: 'denied',
          detail: `${req.method} ${path}: not signed in`,
        });
      }
      if (!options.publicRead) requirePrincipal(registryContext);
      access.recheck(registryContext, 'read');
    }
    return route.handler(req, registryContext, params);
  };

  // Not async: most requests need nothing awaited before their route runs, and returning the route's
  // own promise saves the turns an async function's promise of a promise takes. Failures still reject.
  const dispatch: Handler = (req, ctx) => {
    try {
      const { baseUrl, prefix } = publicLocation ?? requestLocation(req.headers);
      const path = withoutPrefix(req.path, prefix);
      // A browser's page navigation may be a UI page; npm never asks for HTML.
      const match = (wantsPage(req) && pages.find(req.method, path)) || router.match(req.method, path);
      rememberRoute(ctx, match.route);
      const authorization =
        req.headers[Header.AUTHORIZATION] ??
        (match.route.session ? sessionAuthorization(req, baseUrl) : undefined);
      // Most reads carry no credentials: they skip the provider entirely.
      if (authorization === undefined) return run(req, ctx, match, baseUrl, path, undefined);
      return auth
        .authenticate(authorization, req.remoteAddress)
        .then((principal) => run(req, ctx, match, baseUrl, path, principal));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  return compose(
    requestId(),
    requestLogging(),
    metrics.measure(),
    cors(),
    // Storage and document errors become their HTTP answers (`httpErrorOf`) in the same layer.
    errorMapping({ translate: httpErrorOf }),
    bodyLimit(maxBodyBytes, options.bodyTooLargeMessage),
  )(dispatch);
}

/** The provider's token store, which trusted publishing issues its tokens into. */
function tokensOf(auth: AuthProvider): TokenDependencies {
  if (auth.tokens === undefined) {
    throw new Error(`the ${auth.name} auth provider keeps no tokens, so it cannot offer trusted publishing`);
  }
  return auth.tokens;
}

/** The location REGISTRY_PUBLIC_URL names: the same for every request. */
function fixedLocation(publicUrl: string): RequestLocation {
  const url = new URL(publicUrl);
  const prefix = normalisePrefix(url.pathname);
  return { baseUrl: `${url.origin}${prefix}`, prefix };
}

/** The path below the mount point. Proxies usually strip the prefix; when one does not, it is stripped here. */
function withoutPrefix(path: string, prefix: string): string {
  if (prefix === '' || !path.startsWith(prefix)) return path;
  if (path.length === prefix.length) return '/';
  return path[prefix.length] === '/' ? path.slice(prefix.length) : path;
}
