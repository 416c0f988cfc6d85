import type { Middleware, RequestContext } from '@myorg/middleware';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { EventSink, RegistryEvent } from '../events/RegistryEvents.ts';
import type { Route } from '../http/types.ts';
import type { UpstreamLookupObserver } from '../upstream/UpstreamProxy.ts';
import { type DurationSeries, RequestDurations } from './RequestDurations.ts';

/** How many entries and bytes one in-memory cache holds. */
export interface CacheSize {
  entries: number;
  bytes: number;
}

export interface RegistryMetricsOptions {
  /** The caches' sizes by name, read when scraped. */
  cacheSizes: () => Record<string, CacheSize>;
  /** Whether the upstream's circuit breaker is open; undefined when nothing is proxied. Read when scraped. */
  upstreamDown: () => boolean | undefined;
  /**
   * Names the process whose counts these are, as an `instance` label on every series: on Lambda each
   * container counts on its own from zero, and a scrape reaches whichever container answers.
   */
  instance?: string;
}

/** Seconds: from a cached packument (well under a millisecond) to a large publish. */
const DURATION_BUCKETS = [0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10];
/** Methods the routes answer; anything else is counted as `OTHER`, so clients cannot add label values. */
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];
/** The `#lookups` key of each kind and result, made once rather than per lookup. */
const LOOKUP_KEYS = Object.fromEntries(
  (['packument', 'tarball'] as const).map((kind) => [
    kind,
    Object.fromEntries((['hit', 'miss', 'failure'] as const).map((result) => [result, `${kind} ${result}`])),
  ]),
) as Record<Parameters<UpstreamLookupObserver>[0], Record<Parameters<UpstreamLookupObserver>[1], string>>;
/** Where the dispatcher leaves the route a request matched, for `measure` to label it by its pattern. */
const ROUTE_STATE = 'route';
/** The `route` of a request no route matched (unknown path, wrong method, undecodable name). */
const UNMATCHED = 'unmatched';

/**
 * The registry's Prometheus metrics, in a registry of their own (never prom-client's global one),
 * so several registries in one process keep apart. Requests are labelled by route pattern, never by
 * path, so label values stay bounded; cache sizes and the breaker are read when scraped.
 */
export class RegistryMetrics implements EventSink {
  readonly #registry = new Registry();
  readonly #requests: RequestDurations;
  /** Upstream lookups by `<kind> <result>`: a lookup finds its count without prom-client's label work. */
  readonly #lookups = new Map<string, number>();
  readonly #publishes: Counter;
  /** One series per route, method and status, found without building a label string per request. */
  readonly #series = new Map<Route | undefined, Map<number, DurationSeries>>();
  #processMetrics = false;

  constructor(options: RegistryMetricsOptions) {
    if (options.instance !== undefined) this.#registry.setDefaultLabels({ instance: options.instance });
    const registers = [this.#registry];
    this.#requests = new RequestDurations({
      name: 'registry_http_request_duration_seconds',
      help: 'Time to answer a request (until its headers), by method, route pattern and status; _count counts requests.',
      buckets: DURATION_BUCKETS,
      registers,
    });
    const lookups = this.#lookups;
    new Counter({
      name: 'registry_upstream_lookups_total',
      help: 'Upstream packument and tarball lookups: hit (held here), miss (asked the upstream), failure (the upstream failed or is marked down).',
      labelNames: ['kind', 'result'],
      registers,
      // Counted in a plain map per lookup; handed over when scraped, in order of first lookup, as `inc` would have.
      collect() {
        this.reset();
        for (const [key, count] of lookups) {
          const [kind = '', result = ''] = key.split(' ');
          this.inc({ kind, result }, count);
        }
      },
    });
    this.#publishes = new Counter({
      name: 'registry_publishes_total',
      help: 'Versions published.',
      registers,
    });
    new Gauge({
      name: 'registry_cache_bytes',
      help: 'Bytes held by each in-memory cache.',
      labelNames: ['cache'],
      registers,
      collect() {
        for (const [cache, size] of Object.entries(options.cacheSizes())) this.set({ cache }, size.bytes);
      },
    });
    new Gauge({
      name: 'registry_cache_entries',
      help: 'Entries (packages or tarballs) held by each in-memory cache.',
      labelNames: ['cache'],
      registers,
      collect() {
        for (const [cache, size] of Object.entries(options.cacheSizes())) this.set({ cache }, size.entries);
      },
    });
    new Gauge({
      name: 'registry_upstream_down',
      help: "1 while the upstream's circuit breaker is open (requests refused without trying); absent without an upstream.",
      registers,
      collect() {
        const down = options.upstreamDown();
        if (down === undefined) this.reset();
        else this.set(down ? 1 : 0);
      },
    });
  }

  /** The middleware that times every request and counts it by route pattern, method and status. */
  measure(): Middleware {
    return async (req, ctx, next) => {
      let status = 500;
      try {
        const response = await next(req, ctx);
        status = response.status;
        return response;
      } finally {
        const route = ctx.state[ROUTE_STATE] as Route | undefined;
        this.#seriesFor(route, req.method, status).observe((performance.now() - ctx.startedAt) / 1000);
      }
    };
  }

  /** Told of each upstream lookup (`UpstreamProxyOptions.onLookup`). */
  readonly upstreamLookup: UpstreamLookupObserver = (kind, result) => {
    const key = LOOKUP_KEYS[kind][result];
    this.#lookups.set(key, (this.#lookups.get(key) ?? 0) + 1);
  };

  /** Subscribed to the registry's events: a version published is one there. */
  receive(event: RegistryEvent): void {
    if (event.action === 'publish' && event.outcome === 'ok') this.#publishes.inc();
  }

  /** Counting holds nothing back. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {}

  /** The text a Prometheus scrape receives, and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    // Node's process metrics start with the first scrape: a registry nobody scrapes (tests,
    // short-lived Lambda containers) sets up no observers.
    if (!this.#processMetrics) {
      this.#processMetrics = true;
      collectDefaultMetrics({ register: this.#registry });
    }
    return { body: await this.#registry.metrics(), contentType: this.#registry.contentType };
  }

  #seriesFor(route: Route | undefined, method: string, status: number): DurationSeries {
    const methodIndex = METHODS.indexOf(method);
    // A number key: no string is built for a request whose series exists.
    const key = status * 8 + (methodIndex < 0 ? METHODS.length : methodIndex);
    let byKey = this.#series.get(route);
    if (byKey === undefined) {
      byKey = new Map();
      this.#series.set(route, byKey);
    }
    let series = byKey.get(key);
    if (series === undefined) {
      series = this.#requests.series(
        METHODS[methodIndex] ?? 'OTHER',
        route?.path ?? UNMATCHED,
        String(status),
      );
      byKey.set(key, series);
    }
    return series;
  }
}

/** Leaves the route a request matched where `RegistryMetrics.measure` finds it. */
export function rememberRoute(ctx: RequestContext, route: Route): void {
  ctx.state[ROUTE_STATE] = route;
}
