/**
 * Where packages go. String fields may hold `${VAR}` references; `resolveTarget` substitutes them
 * from the environment it is given.
 */
export type PublishTarget =
  /** Any npm registry: ours, Verdaccio. `url` is the registry root; a path prefix is kept. */
  | { kind: 'registry'; url: string; token?: string }
  | {
      kind: 'codeartifact';
      domain: string;
      /** The account that owns the domain; the caller's own account when omitted. */
      domainOwner?: string;
      repository: string;
      region: string;
      /** SDK endpoint override, for a loopback CodeArtifact stand-in. */
      endpoint?: string;
      /** A named profile of the shared AWS config files; otherwise the SDK's default credential chain. */
      profile?: string;
      /** Lifetime of the authorization token: 900–43200 s, or 0 for the role session's. */
      tokenDurationSeconds?: number;
    };

/** One package as it sits in the workspace. */
export interface PackageToPublish {
  name: string;
  version: string;
  /** Folder holding package.json and the built files. */
  dir: string;
  /** Names the package depends on; those in the same run are published first. */
  dependencies?: readonly string[];
}

export type PublishStatus = 'published' | 'skipped' | 'failed' | 'would-publish';

export interface PublishOutcome {
  name: string;
  version: string;
  status: PublishStatus;
  /** Why a package was skipped or failed. */
  reason?: string;
}

export interface PublishSummary {
  outcomes: PublishOutcome[];
  published: number;
  skipped: number;
  failed: number;
}

/** What an upload reports: done, or refused because the version is already there. */
export type UploadResult = 'published' | 'already-published';

/**
 * Sends one package to a resolved target. Chosen per target, so a target with a request size
 * limit (the registry on Lambda) can bring a presigned-upload strategy for large tarballs.
 */
export type Uploader = (
  pkg: PackageToPublish,
  target: ResolvedTarget,
  options: { tag: string },
) => Promise<UploadResult>;

/** A target ready to use: the npm endpoint, its token, and a way to ask the registry itself. */
export interface ResolvedTarget {
  /** The npm registry URL, always ending with `/`. */
  registryUrl: string;
  token: string | undefined;
  /** Asks the registry itself, past every cache, whether `name@version` exists. */
  isPublished(name: string, version: string): Promise<boolean>;
  uploader: Uploader;
}
