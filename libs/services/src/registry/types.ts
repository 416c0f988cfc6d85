import type { NpmTime } from '@myorg/date';

// The npm registry's documents, once for the platform: the registry stores and serves them, the
// clients read and publish them.

/** A person as npm records one: `_npmUser`, `maintainers`. */
export interface Person {
  name: string;
  email?: string;
}

/**
 * `dist` of a version: where its tarball is and the tarball's digests. The registry stores it with
 * a relative `tarball` and serves it with an absolute one.
 */
export interface Dist {
  tarball: string;
  /** SHA-1 of the tarball in hex. */
  shasum: string;
  /** Subresource Integrity string, `sha512-<base64>`. */
  integrity: string;
  fileCount?: number;
  unpackedSize?: number;
  signatures?: { keyid: string; sig: string }[];
  /** Where the version's attestations are served (stored relative, like `tarball`), and what they attest. */
  attestations?: { url: string; provenance?: { predicateType: string } };
  [field: string]: unknown;
}

/** A package.json as published: the fields the platform reads, and whatever else the author wrote. */
export interface Manifest {
  name: string;
  version: string;
  description?: string;
  deprecated?: string;
  /** Set once the manifest is a version of a packument. */
  dist?: Dist;
  [field: string]: unknown;
}

/** One version inside a packument: its package.json plus what the registry adds (`_id`, `dist`, `_npmUser`). */
export interface VersionManifest extends Manifest {
  dist: Dist;
}

/**
 * A package document as stored and as served in full (`Accept: application/json`). A package whose
 * every version was unpublished keeps its document with no versions and no tags (and the old
 * versions still in `time`), so that those versions can never be published again.
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

/** A version inside the abbreviated ("corgi") packument: only what an install needs. */
export interface AbbreviatedManifest {
  name: string;
  version: string;
  dist: Dist;
  deprecated?: string;
  [field: string]: unknown;
}

/** The abbreviated packument (`Accept: application/vnd.npm.install-v1+json`). */
export interface AbbreviatedPackument {
  name: string;
  modified: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, AbbreviatedManifest>;
}

/** The two forms a packument is served in. */
export type PackumentForm = 'full' | 'abbreviated';
