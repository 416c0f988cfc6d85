export { ConfigError } from './ConfigError.ts';
export { createDigester, type Digest, type DigestAlgorithm } from './createDigester.ts';
export type { EnvSource } from './envSource.ts';
export { sha1Hex } from './hash.ts';
export { integrityMatches, integrityMatchesDigest, integrityOf } from './integrity.ts';
export { isPlainObject } from './isPlainObject.ts';
export {
  type ExceededJsonBound,
  exceededJsonBound,
  type JsonBounds,
  jsonTooDeepMessage,
  jsonTooManyMembersMessage,
  MAX_JSON_DEPTH,
} from './jsonBounds.ts';
export { parseJson } from './parseJson.ts';
export { resolveEnv } from './resolveEnv.ts';
export {
  JsonBoundError,
  type SafeJsonOptions,
  type SafeJsonResult,
  safeJsonParse,
} from './safeJsonParse.ts';
export { substituteEnv, substituteEnvDeep } from './substituteEnv.ts';
