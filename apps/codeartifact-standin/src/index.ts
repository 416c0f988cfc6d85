export { AwsServiceError } from './AwsServiceError.ts';
export { CodeArtifactState } from './CodeArtifactState.ts';
export {
  type CodeArtifactStandIn,
  type CodeArtifactStandInOptions,
  createCodeArtifactStandIn,
} from './createCodeArtifactStandIn.ts';
export {
  serveCodeArtifact,
  standInBanner,
  standInSettings,
} from './serveCodeArtifact.ts';
export { type RunningStandIn, startCodeArtifactStandIn } from './startCodeArtifactStandIn.ts';
