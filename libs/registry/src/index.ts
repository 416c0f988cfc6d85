export { AccessRules, type TrustedPublisher } from './access/accessRules.ts';
export { createAuthProvider, describeAuth } from './auth/createAuthProvider.ts';
export { createGitHubAuth, type GitHubAuthOptions } from './auth/github/createGitHubAuth.ts';
export { createLocalUser, type NewUser } from './auth/local/addUser.ts';
export { createLocalAuth, type LocalAuthOptions } from './auth/local/createLocalAuth.ts';
export { requirePrincipal } from './auth/requirePrincipal.ts';
export type { AuthProvider, Principal } from './auth/types.ts';
export { parseByteSize } from './config/parseByteSize.ts';
export {
  parseRegistryConfig,
  type RegistryConfig,
  type RegistryConfigDefaults,
} from './config/parseRegistryConfig.ts';
export { type CreateRegistryOptions, createRegistry, DEFAULT_MAX_BODY_BYTES } from './createRegistry.ts';
export {
  anonymousRoute,
  type RegistryContext,
  type Route,
  type RouteHandler,
  type RouteParams,
  route,
} from './http/types.ts';
export { Messages } from './messages.ts';
export type { Dist, Packument, PackumentForm, Person, VersionManifest } from './packument/types.ts';
export type { PackumentCacheOptions } from './storage/PackumentRepository.ts';
export {
  startTemporarySweep,
  type TemporarySweep,
  type TemporarySweepOptions,
} from './storage/startTemporarySweep.ts';
// Key prefixes the deployment's storage lifecycle rules name (apps/registry-stack).
export { PENDING_TARBALLS_PREFIX } from './storage/storageKeys.ts';
export {
  TRUSTED_PUBLISHER_USER,
  type TrustedPublishingOptions,
} from './trustedPublishing/trustedPublishingRoutes.ts';
export { UpstreamMessages } from './upstream/messages.ts';
export { STALE_WARNING } from './upstream/proxiedResponses.ts';
export type { UpstreamProxyOptions } from './upstream/UpstreamProxy.ts';
export type { UpstreamConfig } from './upstream/upstreamConfig.ts';
export { UPSTREAM_PREFIX } from './upstream/upstreamKeys.ts';
