import { namePattern } from '../packument/namePattern.ts';

/**
 * Which names the upstream may never answer for, and which may be published here although the
 * upstream has them. Scopes are compared without regard to case; patterns are package names in
 * which `*` stands for any run of characters (`@types/*`, `left-pad`, `*-fork`).
 */
export class PackagePolicy {
  readonly #privateScopes: ReadonlySet<string>;
  readonly #publishOverUpstream: readonly RegExp[];

  constructor(
    options: { privateScopes?: readonly string[]; allowPublishOverUpstream?: readonly string[] } = {},
  ) {
    this.#privateScopes = new Set((options.privateScopes ?? []).map(normaliseScope));
    this.#publishOverUpstream = (options.allowPublishOverUpstream ?? []).map(namePattern);
  }

  /** Whether `name` is in a private scope: never fetched from the upstream, not even when absent here. */
  isPrivateScope(name: string): boolean {
    if (!name.startsWith('@') || this.#privateScopes.size === 0) return false;
    const slash = name.indexOf('/');
    return slash > 0 && this.#privateScopes.has(name.slice(0, slash).toLowerCase());
  }

  /** Whether `name` may be published here even though the upstream has a package of that name. */
  mayPublishOverUpstream(name: string): boolean {
    return this.#publishOverUpstream.some((pattern) => pattern.test(name));
  }
}

/** `@MyOrg`, `myorg` and `@myorg/` all name the scope `@myorg`. */
export function normaliseScope(scope: string): string {
  const bare = scope.trim().replace(/^@/, '').replace(/\/$/, '').toLowerCase();
  return `@${bare}`;
}
