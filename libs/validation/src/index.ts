export { z } from 'zod';
export { decodePackageNameFromPath } from './decodePackageNameFromPath.ts';
export { assertDistTag, type DistTagValidation, validateDistTag } from './distTag.ts';
export {
  assertPackageName,
  type PackageNameOptions,
  type PackageNameValidation,
  type ParsedPackageName,
  parsePackageName,
  validatePackageName,
} from './packageName.ts';
export { parseConfig } from './parseConfig.ts';
export { assertTarballFileName, tarballFileName, versionFromTarballFileName } from './tarballFileName.ts';
export { ValidationError, type ValidationErrorOptions } from './ValidationError.ts';
export { assertVersion, isValidVersion } from './version.ts';
