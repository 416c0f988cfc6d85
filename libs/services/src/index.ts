export { GitHubClient } from './github/GitHubClient.ts';
export { RegistryClient } from './registry/RegistryClient.ts';
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
