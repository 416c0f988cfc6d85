export { AccessRules, type TrustedPublisher } from './access/accessRules.ts';
export { createAuthProvider, describeAuth } from './auth/createAuthProvider.ts';
export { createGitHubAuth, type GitHubAuthOptions } from './auth/github/createGitHubAuth.ts';
export { createLocalUser, type NewUser } from './auth/local/addUser.ts';
export { createLocalAuth, type LocalAuthOptions } from './auth/local/createLocalAuth.ts';
export { requirePrincipal } from './auth/requirePrincipal.ts';
export type { AuthProvider, Principal } from './auth/types.ts';
// The storage layout and its writers, for tools that read or write a registry's storage offline
// (`myorg-admin import-codebox`, `verify`, `reindex`): what they write is exactly what a publish writes.
export { applyPackageChange } from './changes/applyPackageChange.ts';
export { parseByteSize } from './config/parseByteSize.ts';
export {
  parseRegistryConfig,
  type RegistryConfig,
  type RegistryConfigDefaults,
} from './config/parseRegistryConfig.ts';
export { type CreateRegistryOptions, createRegistry, DEFAULT_MAX_BODY_BYTES } from './createRegistry.ts';
export { AUDIT_PREFIX, AuditLog, type AuditLogOptions } from './events/AuditLog.ts';
export { type AuditQueryText, auditQuery } from './events/auditQuery.ts';
export { createRegistryEvents } from './events/createRegistryEvents.ts';
export {
  type EventSink,
  type RegistryEvent,
  RegistryEvents,
} from './events/RegistryEvents.ts';
export { type AuditPage, type AuditQuery, readAudit } from './events/readAudit.ts';
export {
  addHook,
  type DeliveryRecord,
  readHooks,
  recentDeliveries,
  removeHook,
  WEBHOOKS_PREFIX,
  type Webhook,
} from './events/webhooks/hooks.ts';
export { SIGNATURE_HEADER, signWebhook, verifyWebhook } from './events/webhooks/signWebhook.ts';
export { Webhooks, type WebhooksOptions } from './events/webhooks/Webhooks.ts';
export {
  anonymousRoute,
  type RegistryContext,
  type Route,
  type RouteHandler,
  type RouteParams,
  route,
} from './http/types.ts';
export { Messages } from './messages.ts';
export { highestVersion } from './packument/highestVersion.ts';
export { hoistLatestFields } from './packument/hoistLatestFields.ts';
export { nextRevision } from './packument/nextRevision.ts';
export { tarballPath } from './packument/tarballPath.ts';
export type { Dist, Packument, PackumentForm, Person, VersionManifest } from './packument/types.ts';
// The block list, for `myorg-admin block`: it writes the object every registry instance reads.
export {
  type AuditBlockListChange,
  type BlockEntry,
  BlockList,
  type BlockListChange,
  parseBlockSpec,
} from './policy/BlockList.ts';
export { PolicyMessages } from './policy/messages.ts';
export { wasPublished } from './publish/addVersion.ts';
export type { PackumentCacheOptions } from './storage/PackumentRepository.ts';
export { PackumentRepository } from './storage/PackumentRepository.ts';
export {
  startTemporarySweep,
  type TemporarySweep,
  type TemporarySweepOptions,
} from './storage/startTemporarySweep.ts';
// Key prefixes the deployment's storage lifecycle rules name (apps/registry-stack).
export {
  PACKUMENTS_PREFIX,
  PENDING_TARBALLS_PREFIX,
  RENDERED_PREFIX,
  TARBALLS_PREFIX,
  tarballKey,
} from './storage/storageKeys.ts';
export { TarballStore } from './storage/TarballStore.ts';
export {
  TRUSTED_PUBLISHER_USER,
  type TrustedPublishingOptions,
} from './trustedPublishing/trustedPublishingRoutes.ts';
export { UpstreamMessages } from './upstream/messages.ts';
export { STALE_WARNING } from './upstream/proxiedResponses.ts';
export type { UpstreamProxyOptions } from './upstream/UpstreamProxy.ts';
export type { UpstreamConfig } from './upstream/upstreamConfig.ts';
export { UPSTREAM_PREFIX } from './upstream/upstreamKeys.ts';
