/** What a registry says about one tarball. */
export interface Dist {
  tarball: string;
  /** SHA-1 of the tarball in hex; the only digest very old versions have. */
  shasum: string;
  /** Subresource Integrity string, `sha512-<base64>` for anything published in the last decade. */
  integrity?: string;
  fileCount?: number;
  unpackedSize?: number;
  signatures?: { keyid: string; sig: string }[];
}

/** A package.json as published: the fields the platform reads, and whatever else the author wrote. */
export interface Manifest {
  name: string;
  version: string;
  description?: string;
  main?: string;
  types?: string;
  license?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bin?: string | Record<string, string>;
  engines?: Record<string, string>;
  deprecated?: string;
  private?: boolean;
  publishConfig?: Record<string, unknown>;
  _id?: string;
  dist?: Dist;
  [field: string]: unknown;
}

/** A version inside a packument: a manifest the registry has stamped with `_id` and `dist`. */
export interface PackumentVersion extends Manifest {
  _id: string;
  dist: Dist;
}

/** The full document of a package (`Accept: application/json`). */
export interface Packument {
  _id?: string;
  _rev?: string;
  name: string;
  description?: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, PackumentVersion>;
  /** `created`, `modified`, and one publish time per version, as ISO strings. */
  time?: Record<string, string>;
  maintainers?: { name: string; email?: string }[];
  readme?: string;
  license?: string;
  repository?: unknown;
  [field: string]: unknown;
}

/** A version inside the abbreviated ("corgi") packument: only what an install needs. */
export interface AbbreviatedManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: string | Record<string, string>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  deprecated?: string;
  hasInstallScript?: boolean;
  _hasShrinkwrap?: boolean;
  dist: Dist;
}

/** The abbreviated packument (`Accept: application/vnd.npm.install-v1+json`). */
export interface AbbreviatedPackument {
  name: string;
  modified: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, AbbreviatedManifest>;
}
