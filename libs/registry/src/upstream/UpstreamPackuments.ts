import { ContentType, NpmMediaType } from '@myorg/constants';
import type { Logger } from '@myorg/logger';
import { type PreparedBody, prepareBody } from '@myorg/response';
import { SingleFlight } from '../cache/SingleFlight.ts';
import type { PackumentForm } from '../packument/types.ts';
import type { PackageRules } from '../policy/SupplyChainPolicy.ts';
import type { ServedDocument } from '../policy/withholdVersions.ts';
import { UpstreamMessages } from './messages.ts';
import type { UpstreamCopies } from './UpstreamCopies.ts';
import type { Fetched, UpstreamFetcher } from './UpstreamFetcher.ts';
import type { UpstreamLookupObserver } from './UpstreamProxy.ts';
import { serves, type UpstreamCopy } from './upstreamCopy.ts';
import { servedDocument } from './upstreamDocument.ts';
import { failureReason, UpstreamErrorCode, unavailableError } from './upstreamFailure.ts';

export interface UpstreamLookup {
  copy: UpstreamCopy;
  /** True when the copy is served although the upstream could not confirm it. */
  stale: boolean;
  /** Why the upstream could not confirm it, when stale. */
  failure?: unknown;
}

export interface UpstreamPackumentsOptions {
  fetcher: UpstreamFetcher;
  copies: UpstreamCopies;
  /** How long a copy is served without asking the upstream again. */
  maxAgeMs: number;
  logger: Logger;
  now: () => number;
  /** Told whether each lookup was answered from a copy (`hit`), or asked the upstream (`miss`, `failure`). */
  onLookup?: UpstreamLookupObserver;
}

/**
 * Upstream package documents as served: one copy per package answers both forms (see
 * UpstreamCopy), revalidated with the upstream once older than `maxAgeMs`. A request for a form
 * the copy cannot serve fetches that form, the one the client asked for, so an install never
 * fetches more than it needs. Concurrent callers needing the same package share one upstream
 * request. When the upstream fails, the copy held is served marked stale, in either form; only
 * when nothing is held does the failure reach the client (503, or 504 for a timeout).
 */
export class UpstreamPackuments {
  readonly #options: UpstreamPackumentsOptions;
  readonly #refreshes = new SingleFlight<string, UpstreamLookup | undefined>();

  constructor(options: UpstreamPackumentsOptions) {
    this.#options = options;
  }

  /**
   * The copy of `name` to serve `form` from: one confirmed within `maxAgeMs` (and at or after
   * `checkedSince`, when given) as it is; otherwise one revalidated with the upstream. Undefined
   * when the upstream does not know the package.
   */
  lookup(name: string, form: PackumentForm, checkedSince?: number): Promise<UpstreamLookup | undefined> {
    const copy = this.#options.copies.recall(name);
    if (copy !== undefined && this.#answers(copy, form, checkedSince)) {
      this.#options.onLookup?.('packument', 'hit');
      return Promise.resolve({ copy, stale: false });
    }
    return this.#refresh(name, form, checkedSince);
  }

  /** Any copy of `name` held in memory or storage, however old; the upstream is not asked. */
  held(name: string): Promise<UpstreamCopy | undefined> {
    return this.#options.copies.held(name);
  }

  /**
   * The body served for `form` from `copy` at `baseUrl` without what `rules` withhold, serialised
   * and compressed once. The rules' key is part of the body's: a body built before a version came
   * of age, or before a block changed, is not served after.
   */
  body(
    copy: UpstreamCopy,
    form: PackumentForm,
    baseUrl: string,
    rules?: PackageRules,
  ): Promise<PreparedBody> {
    const key =
      rules === undefined ? `${form} ${baseUrl}` : `${form} ${baseUrl} ${rules.key(copy.document.time)}`;
    let body = copy.bodies.get(key);
    if (body === undefined) {
      body = this.#build(copy, form, baseUrl, rules);
      copy.bodies.set(key, body);
      body.catch(() => copy.bodies.delete(key));
    }
    return body;
  }

  /** The document served for `form` from `copy` at `baseUrl` without what `rules` withhold. */
  served(copy: UpstreamCopy, form: PackumentForm, baseUrl: string, rules?: PackageRules): object {
    const served = servedDocument(copy.document, copy.form, form, baseUrl);
    return rules === undefined ? served : rules.withhold(served as ServedDocument, copy.document.time);
  }

  async #build(
    copy: UpstreamCopy,
    form: PackumentForm,
    baseUrl: string,
    rules: PackageRules | undefined,
  ): Promise<PreparedBody> {
    const contentType = form === 'abbreviated' ? NpmMediaType.ABBREVIATED : ContentType.JSON;
    const document = this.served(copy, form, baseUrl, rules);
    const prepared = prepareBody(Buffer.from(JSON.stringify(document)), { contentType });
    // Compressed on the thread pool, so a large document does not block the event loop.
    await prepared.precompress();
    this.#options.copies.grew(copy, bodyBytes(prepared));
    return prepared;
  }

  /**
   * One revalidation per package at a time, for all concurrent callers. A caller takes what a
   * running one brings when that serves its form and is fresh enough, or was confirmed after the
   * caller came (with a max age of 0 nothing is fresh for long); otherwise it starts another (a
   * full request that joined an abbreviated fetch, or one needing a copy newer than `checkedSince`).
   */
  async #refresh(
    name: string,
    form: PackumentForm,
    checkedSince: number | undefined,
  ): Promise<UpstreamLookup | undefined> {
    const came = checkedSince ?? this.#options.now();
    for (;;) {
      const running = this.#refreshes.running(name);
      if (running === undefined) {
        return this.#refreshes.run(name, () => this.#revalidate(name, form, checkedSince));
      }
      const found = await running;
      if (found === undefined || found.stale || this.#answers(found.copy, form, checkedSince)) return found;
      if (serves(found.copy, form) && found.copy.checkedAt >= came) return found;
    }
  }

  async #revalidate(
    name: string,
    form: PackumentForm,
    checkedSince: number | undefined,
  ): Promise<UpstreamLookup | undefined> {
    const { copies, fetcher, onLookup } = this.#options;
    const held = await copies.held(name);
    if (held !== undefined && this.#answers(held, form, checkedSince)) {
      onLookup?.('packument', 'hit');
      return { copy: held, stale: false };
    }
    // A copy that serves the form is revalidated in its own form; otherwise the form asked is fetched.
    let fetched: Fetched;
    try {
      fetched =
        held !== undefined && serves(held, form)
          ? await fetcher.revalidate(held)
          : await fetcher.fetch(name, form);
      onLookup?.('packument', 'miss');
    } catch (error) {
      onLookup?.('packument', 'failure');
      const fallback = held ?? (await copies.heldAfresh(name));
      if (fallback === undefined) throw unavailableError(UpstreamMessages.notCached(name), error);
      this.#logStale(name, form, error);
      return { copy: fallback, stale: true, failure: error };
    }
    if (fetched.status === 404) {
      await copies.forget(name);
      return undefined;
    }
    if (fetched.status === 200) await copies.keep(fetched.copy, fetched.body);
    return { copy: fetched.copy, stale: false };
  }

  /** Whether `copy` may serve `form` without asking the upstream. */
  #answers(copy: UpstreamCopy, form: PackumentForm, checkedSince: number | undefined): boolean {
    if (!serves(copy, form)) return false;
    if (checkedSince !== undefined && copy.checkedAt < checkedSince) return false;
    return this.#options.now() - copy.checkedAt < this.#options.maxAgeMs;
  }

  #logStale(name: string, form: PackumentForm, error: unknown): void {
    const fields = { name, form, reason: failureReason(error) };
    // While the upstream is marked down every read lands here; the transition was logged already.
    const down = (error as { code?: unknown }).code === UpstreamErrorCode.DOWN;
    this.#options.logger[down ? 'debug' : 'warn']('upstream failed: serving the cached copy', fields);
  }
}

/** Bytes a prepared body keeps: identity plus whichever encoded variants are smaller. */
function bodyBytes(prepared: PreparedBody): number {
  let bytes = prepared.bytes.byteLength;
  if (prepared.compressible) {
    for (const encoding of ['gzip', 'br'] as const) {
      const encoded = prepared.encoded(encoding);
      if (encoded !== prepared.bytes) bytes += encoded.byteLength;
    }
  }
  return bytes;
}
