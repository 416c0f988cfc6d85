export { z } from 'zod';
export { decodePackageNameFromPath } from './decodePackageNameFromPath.ts';
export { assertDistTag } from './distTag.ts';
export {
  assertPackageName,
  type PackageNameOptions,
  type PackageNameValidation,
  validatePackageName,
} from './packageName.ts';
export { parseConfig } from './parseConfig.ts';
export { tarballFileName, versionFromTarballFileName } from './tarballFileName.ts';
export { ValidationError, type ValidationErrorOptions } from './ValidationError.ts';
export { assertVersion, isValidVersion, MAX_VERSION_LENGTH } from './version.ts';
