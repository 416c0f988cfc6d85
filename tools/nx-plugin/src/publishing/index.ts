export { codeArtifactError } from './codeArtifactError.ts';
export {
  CODEARTIFACT_CONFIG_FILE,
  type LoadPublishTargetOptions,
  loadPublishTarget,
  PUBLISH_REGISTRY_TOKEN,
  PUBLISH_REGISTRY_URL,
} from './loadPublishTarget.ts';
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
export { failAll, formatOutcome, formatSummary, summarize } from './summary.ts';
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
