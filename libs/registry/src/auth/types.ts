import type { Route } from '../http/types.ts';
import type { Principal } from './Principal.ts';
import type { TokenDependencies } from './tokens/TokenDependencies.ts';

export type { Principal };

/**
 * A source of identities. `local` (users and tokens in the registry's own storage) is the default;
 * others (GitHub) plug in with the same shape.
 */
export interface AuthProvider {
  readonly name: string;
  /**
   * Resolves an `Authorization` header (Bearer token, or Basic credentials) to a principal. Runs on
   * every request, so it must cost microseconds for tokens: never a password hash on this path.
   * Returns undefined for a missing or unknown credential.
   *
   * `remoteAddress` is the client's IP address (`HttpRequest.remoteAddress`). Tokens limited to CIDR
   * ranges authenticate only from inside them, so without it they never authenticate.
   */
  authenticate(authorization: string | undefined, remoteAddress?: string): Promise<Principal | undefined>;
  /** Whether `name` is a user who can log in: `npm owner add` may only add users. */
  userExists(name: string): Promise<boolean>;
  /**
   * Groups of which a principal must be in at least one to do anything at all: for GitHub,
   * `org:<org>` for each of REGISTRY_GITHUB_ORGS. Undefined: no such requirement (local users).
   */
  readonly requiredGroups?: readonly string[];
  /**
   * The token store and authenticator the provider's tokens live in: trusted publishing issues its
   * short-lived tokens there, so they authenticate like any other. Absent for a provider with no
   * tokens of its own, which cannot offer trusted publishing.
   */
  readonly tokens?: TokenDependencies;
  /** The provider's own endpoints: login/adduser, logout, whoami, token management. */
  routes(): Route[];
}
