import semver from 'semver';
import { namePattern } from '../packument/namePattern.ts';

/** REGISTRY_MIN_RELEASE_AGE and its overrides and allow-list, as configured. */
export interface ReleaseAgeConfig {
  /** REGISTRY_MIN_RELEASE_AGE in ms, for packages proxied from the upstream; 0 turns it off. */
  minAgeMs: number;
  /**
   * REGISTRY_MIN_RELEASE_AGE_OVERRIDES: the first entry whose name pattern matches decides, for
   * proxied and local packages alike (local ones are held back only by an override).
   */
  overrides: readonly { pattern: string; minAgeMs: number }[];
  /** REGISTRY_MIN_RELEASE_AGE_ALLOW: versions (a pattern and a range, `*` for all) never held back. */
  allow: readonly { pattern: string; range: string }[];
}

/** Where a package's versions come from: the age applies to proxied ones unless an override says so. */
export type PackageOrigin = 'local' | 'upstream';

/** The minimum release age of one package: how long, and which versions skip it. */
export interface PackageReleaseAge {
  minAgeMs: number;
  allows(version: string): boolean;
}

const RANGE_OPTIONS = { includePrerelease: true, loose: true };

/** The minimum release age rules, answering per package. */
export class ReleaseAgeRules {
  readonly #config: ReleaseAgeConfig;
  readonly #overrides: readonly { pattern: RegExp; minAgeMs: number }[];
  readonly #allow: readonly { pattern: RegExp; range: string }[];

  constructor(config: ReleaseAgeConfig) {
    this.#config = config;
    this.#overrides = config.overrides.map((entry) => ({ ...entry, pattern: namePattern(entry.pattern) }));
    this.#allow = config.allow.map((entry) => ({ ...entry, pattern: namePattern(entry.pattern) }));
  }

  /** Whether any package can be held back: without that, nothing is asked per request. */
  get active(): boolean {
    return this.#config.minAgeMs > 0 || this.#config.overrides.some((entry) => entry.minAgeMs > 0);
  }

  /** The rule for `name`, or undefined when none of its versions is held back. */
  forPackage(name: string, origin: PackageOrigin): PackageReleaseAge | undefined {
    const override = this.#overrides.find((entry) => entry.pattern.test(name));
    const minAgeMs = override?.minAgeMs ?? (origin === 'upstream' ? this.#config.minAgeMs : 0);
    if (minAgeMs === 0) return undefined;
    const ranges = this.#allow.filter((entry) => entry.pattern.test(name)).map((entry) => entry.range);
    if (ranges.includes('*')) return undefined;
    return {
      minAgeMs,
      allows: (version) => ranges.some((range) => semver.satisfies(version, range, RANGE_OPTIONS)),
    };
  }
}
