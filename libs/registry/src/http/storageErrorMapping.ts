import { DocumentErrorCode, isDocumentError } from '@myorg/database';
import {
  AppError,
  BadRequestError,
  ConflictError,
  InternalError,
  PreconditionFailedError,
} from '@myorg/error';
import { isStorageError, StorageErrorCode } from '@myorg/storage';

/**
 * The HTTP answer to an error of the storage or document layer, which speak only of keys and
 * conditions; any other error is returned as it is. This is the one place the registry decides
 * what a storage failure means to a client. `createRegistry` hands it to `errorMapping` as its `translate`.
 */
export function httpErrorOf(error: unknown): unknown {
  if (isStorageError(error)) {
    const options = { code: error.code, cause: error };
    switch (error.code) {
      case StorageErrorCode.PRECONDITION:
        return new PreconditionFailedError(error.message, options);
      case StorageErrorCode.KEY_CONFLICT:
        return new ConflictError(error.message, options);
      case StorageErrorCode.RANGE:
        return new AppError(error.message, {
          ...options,
          status: 416,
          headers: { 'content-range': `bytes */${error.size ?? '*'}` },
        });
      case StorageErrorCode.INVALID_KEY:
      case StorageErrorCode.INVALID_OPTION:
        return new BadRequestError(error.message, options);
    }
  }
  if (isDocumentError(error)) {
    switch (error.code) {
      case DocumentErrorCode.EXISTS:
        return new ConflictError(error.message, { code: error.code, cause: error });
      case DocumentErrorCode.NOT_JSON:
        return new BadRequestError(error.message, { cause: error });
      case DocumentErrorCode.CORRUPT:
        return new InternalError(error.message, { cause: error });
    }
  }
  return error;
}
