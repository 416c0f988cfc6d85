import { type AppError, ForbiddenError, NotFoundError } from '@myorg/error';
import { isPlainObject } from '@myorg/utilities';
import semver from 'semver';
import { type BlockList, blockOf, type PackageBlocks } from './BlockList.ts';
import { PolicyMessages } from './messages.ts';
import {
  type PackageOrigin,
  type PackageReleaseAge,
  type ReleaseAgeConfig,
  ReleaseAgeRules,
} from './releaseAge.ts';
import { type Refusal, type ServedDocument, servedTags, withholdVersions } from './withholdVersions.ts';

export interface SupplyChainPolicyOptions {
  releaseAge: ReleaseAgeConfig;
  blocks: BlockList;
  /** The clock release ages are measured by, in ms since the epoch. */
  now: () => number;
}

type Rules = PackageRules | undefined;

/** Withheld versions named in `policyRestrictions.message`; npm prints it whole on E403. */
const RESTRICTIONS_NAMED = 10;

/** Release times of a document's versions, sorted, computed once per `time` object. */
const releaseTimes = new WeakMap<object, Float64Array>();

/**
 * The rules of one package at one moment (a request's): which versions it withholds and why.
 * Everything a request serves from it (packument, version, dist-tags, tarball) agrees.
 */
export class PackageRules {
  readonly #name: string;
  readonly #age: PackageReleaseAge | undefined;
  readonly #blocks: PackageBlocks;
  readonly #now: number;

  constructor(name: string, age: PackageReleaseAge | undefined, blocks: PackageBlocks, now: number) {
    this.#name = name;
    this.#age = age;
    this.#blocks = blocks;
    this.#now = now;
  }

  /** Whether the rules need each version's release time: a proxied copy must then be a full one. */
  get needsTime(): boolean {
    return this.#age !== undefined;
  }

  /**
   * Part of the key of a body built under these rules from a document with `time`: equal keys
   * withhold equal versions. It names the blocks and how many versions are old enough (release
   * times are sorted once per document), so a body cached before a version came of age, or before
   * a block changed, is never served after.
   */
  key(time: unknown): string {
    if (this.#age === undefined) return this.#blocks.key;
    const cutoff = this.#now - this.#age.minAgeMs;
    const times = sortedReleaseTimes(time);
    let low = 0;
    let high = times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((times[middle] ?? Number.POSITIVE_INFINITY) <= cutoff) low = middle + 1;
      else high = middle;
    }
    return `${this.#blocks.key} a${low}`;
  }

  /** Why `version` is withheld given the document's `time`, or undefined when it is served. */
  refusal(version: string, time: unknown): Refusal | undefined {
    const block = blockOf(this.#blocks, version);
    if (block !== undefined) return { kind: 'blocked', reason: block.reason };
    const age = this.#age;
    if (age === undefined || age.allows(version)) return undefined;
    const released = isPlainObject(time) ? Date.parse(String(time[version])) : Number.NaN;
    // A version without a readable release time cannot be shown old enough: it waits, unknown.
    if (Number.isNaN(released)) return { kind: 'young', minAgeMs: age.minAgeMs, availableAt: undefined };
    const availableAt = released + age.minAgeMs;
    return availableAt > this.#now ? { kind: 'young', minAgeMs: age.minAgeMs, availableAt } : undefined;
  }

  /** `document` as served under these rules (see withholdVersions); `time` is the stored document's. */
  withhold(document: ServedDocument, time: unknown): ServedDocument {
    return withholdVersions(
      document,
      time,
      (version) => this.refusal(version, time),
      (refused) => {
        const newestFirst = [...refused].sort(([a], [b]) => semver.compareLoose(b, a));
        const named = newestFirst.slice(0, RESTRICTIONS_NAMED);
        const lines = named.map(([version, refusal]) => this.message(version, refusal));
        return PolicyMessages.restricted(lines, refused.size - named.length);
      },
    );
  }

  /** The client-facing sentence for a withheld version. */
  message(version: string, refusal: Refusal): string {
    const spec = `${this.#name}@${version}`;
    return refusal.kind === 'blocked'
      ? PolicyMessages.blocked(spec, refusal.reason)
      : PolicyMessages.tooYoung(spec, refusal.minAgeMs, refusal.availableAt);
  }

  /** The answer to a request for a withheld version's tarball: 403 for a block, 404 until it is old enough. */
  error(version: string, refusal: Refusal): AppError {
    const message = this.message(version, refusal);
    return refusal.kind === 'blocked'
      ? new ForbiddenError(message, { code: 'EBLOCKED' })
      : new NotFoundError(message, { code: 'E404' });
  }

  /** The dist-tags of a document with `versions` as served: none points at a withheld version. */
  tags(tags: Record<string, unknown>, versions: object, time: unknown): Record<string, unknown> {
    const kept = Object.keys(versions).filter((version) => this.refusal(version, time) === undefined);
    return servedTags(tags, kept, (version) => this.refusal(version, time) !== undefined);
  }

  /**
   * The version `spec` (a version or dist-tag, as `GET /:pkg/:spec` takes it) names as served: a
   * tag's fallback when its version is withheld, undefined when nothing is served; a withheld
   * version named exactly throws its refusal.
   */
  resolve(spec: string, tags: Record<string, unknown>, versions: object, time: unknown): string | undefined {
    if (Object.hasOwn(versions, spec)) {
      this.assertServed(spec, time);
      return spec;
    }
    const tagged = Object.hasOwn(tags, spec) ? tags[spec] : undefined;
    if (typeof tagged !== 'string') return undefined;
    const served = this.tags({ [spec]: tagged }, versions, time)[spec];
    return typeof served === 'string' ? served : undefined;
  }

  /** Throws `error` when `version` is withheld. */
  assertServed(version: string, time: unknown): void {
    const refusal = this.refusal(version, time);
    if (refusal !== undefined) throw this.error(version, refusal);
  }
}

/**
 * The supply-chain policy of the registry (README "Supply-chain policy"): a minimum release age for
 * proxied versions (and local ones an override names), and the block list in storage.
 */
export class SupplyChainPolicy {
  readonly #age: ReleaseAgeRules;
  readonly #blocks: BlockList;
  readonly #now: () => number;

  constructor(options: SupplyChainPolicyOptions) {
    this.#age = new ReleaseAgeRules(options.releaseAge);
    this.#blocks = options.blocks;
    this.#now = options.now;
  }

  /**
   * The rules of `name` now, or undefined when it withholds nothing (served as stored). Not a
   * promise while the block list is recent: these are asked on the hottest requests.
   */
  rulesFor(name: string, origin: PackageOrigin): Rules | Promise<Rules> {
    const age = this.#age.forPackage(name, origin);
    const blocks = this.#blocks.forPackage(name);
    return blocks instanceof Promise
      ? blocks.then((found) => this.#rules(name, age, found))
      : this.#rules(name, age, blocks);
  }

  #rules(name: string, age: PackageReleaseAge | undefined, blocks: PackageBlocks): Rules {
    if (age === undefined && blocks.entries.length === 0) return undefined;
    return new PackageRules(name, age, blocks, this.#now());
  }
}

function sortedReleaseTimes(time: unknown): Float64Array {
  if (!isPlainObject(time)) return new Float64Array(0);
  let times = releaseTimes.get(time);
  if (times === undefined) {
    const parsed: number[] = [];
    for (const [field, value] of Object.entries(time)) {
      if (field === 'created' || field === 'modified') continue;
      const released = Date.parse(String(value));
      if (!Number.isNaN(released)) parsed.push(released);
    }
    times = Float64Array.from(parsed).sort();
    releaseTimes.set(time, times);
  }
  return times;
}
