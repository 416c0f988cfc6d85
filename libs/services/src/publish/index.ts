export { codeArtifactError } from './codeArtifactError.ts';
export { dependencyLevels } from './dependencyLevels.ts';
export { directUpload } from './directUpload.ts';
export { type DiscoveredPackage, discoverPackages, readPublishable } from './discoverPackages.ts';
export { npmPublish } from './npmPublish.ts';
export {
  type NpmrcOptions,
  normalizeScope,
  registryAuthKey,
  renderNpmrc,
  withTrailingSlash,
  writeNpmrc,
} from './npmrc.ts';
export { type PublishPackagesOptions, publishPackages } from './publishPackages.ts';
export { resolveTarget } from './resolveTarget.ts';
export {
  countsOf,
  failAll,
  formatCounts,
  formatOutcome,
  formatSummary,
  type PublishCounts,
  summarize,
} from './summary.ts';
export type {
  PackageToPublish,
  PublishOutcome,
  PublishStatus,
  PublishSummary,
  PublishTarget,
  ResolvedTarget,
  Uploader,
  UploadResult,
} from './types.ts';
