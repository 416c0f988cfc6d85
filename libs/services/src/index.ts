export {
  GitHubClient,
  type GitHubClientOptions,
  type GitHubRepository,
  type GitHubUser,
} from './github/GitHubClient.ts';
export { missingScopes, parseScopes } from './github/scopes.ts';
export { escapePackageName, unscopedName } from './registry/packageName.ts';
export { type PublishDocument, type PublishOptions, publishDocument } from './registry/publishDocument.ts';
export {
  type FetchedPackument,
  type PackumentOptions,
  type PackumentResult,
  RegistryClient,
  type RegistryClientOptions,
  type Tarball,
} from './registry/RegistryClient.ts';
export { isPublishConflict, RegistryError, type RegistryErrorOptions } from './registry/RegistryError.ts';
export type {
  AbbreviatedManifest,
  AbbreviatedPackument,
  Dist,
  Manifest,
  Packument,
  PackumentVersion,
} from './registry/types.ts';
