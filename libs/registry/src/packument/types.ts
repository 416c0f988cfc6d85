import type { NpmTime } from '@myorg/date';

/** A person as npm records one: `_npmUser`, `maintainers`. */
export interface Person {
  name: string;
  email?: string;
}

/** `dist` of a version. Stored with a relative `tarball`; served with an absolute one. */
export interface Dist {
  tarball: string;
  shasum: string;
  integrity: string;
  [field: string]: unknown;
}

/** One version's package.json as published, plus what the registry adds (`_id`, `dist`, `_npmUser`). */
export interface VersionManifest {
  name: string;
  version: string;
  dist: Dist;
  deprecated?: string;
  [field: string]: unknown;
}

/**
 * A package document as stored and as served in full. A package whose every version was
 * unpublished keeps its document with no versions and no tags (and the old versions still in
 * `time`), so that those versions can never be published again.
 */
export interface Packument {
  _id: string;
  /** `<n>-<hex>`: n counts the writes; a write naming an older revision is refused. */
  _rev: string;
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, VersionManifest>;
  time: NpmTime;
  maintainers?: Person[];
  description?: string;
  readme?: string;
  [field: string]: unknown;
}

/** The two forms a packument is served in. */
export type PackumentForm = 'full' | 'abbreviated';
