export { GitHubClient, type GitHubUser, type MembershipState } from './github/GitHubClient.ts';
export type { UploadedTarball } from './registry/publishDocument.ts';
export { type DirectUpload, RegistryClient, type RelayedAnswer } from './registry/RegistryClient.ts';
export { isPublishConflict, RegistryError } from './registry/RegistryError.ts';
export type {
  AbbreviatedManifest,
  AbbreviatedPackument,
  Dist,
  Manifest,
  Packument,
  PackumentForm,
  Person,
  VersionManifest,
} from './registry/types.ts';
