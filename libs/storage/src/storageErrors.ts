import { AppError, BadRequestError, ConflictError, PreconditionFailedError } from '@myorg/error';

/** The codes this package puts on the errors it raises, so callers never match on message text. */
export const StorageErrorCode = {
  /** A key or prefix breaks the key rules. */
  INVALID_KEY: 'EINVALIDKEY',
  /** An `ifMatch` / `ifNoneMatch` condition did not hold. */
  PRECONDITION: 'EPRECONDITION',
  /** The filesystem cannot hold the key next to an existing one (`a/b` as an object and as a folder). */
  KEY_CONFLICT: 'EKEYCONFLICT',
  /** A read range starts past the end of the object. */
  RANGE: 'ERANGE',
  /** A list option or a storage URL is not usable. */
  INVALID_OPTION: 'EINVALIDOPTION',
} as const;

export type StorageErrorCodeName = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

/** Whether `error` was raised by a storage backend, with `code` when one is given. */
export function isStorageError(
  error: unknown,
  code?: StorageErrorCodeName,
): error is Error & { code: StorageErrorCodeName } {
  if (!(error instanceof Error)) return false;
  const actual = (error as { code?: unknown }).code;
  return code === undefined
    ? Object.values(StorageErrorCode).includes(actual as StorageErrorCodeName)
    : actual === code;
}

export function invalidKey(key: unknown, reason: string): BadRequestError {
  return new BadRequestError(`invalid storage key ${JSON.stringify(key)}: ${reason}`, {
    code: StorageErrorCode.INVALID_KEY,
  });
}

export function preconditionFailed(key: string, reason: string): PreconditionFailedError {
  return new PreconditionFailedError(`precondition failed for "${key}": ${reason}`, {
    code: StorageErrorCode.PRECONDITION,
  });
}

export function keyConflict(key: string, cause: unknown): ConflictError {
  return new ConflictError(
    `"${key}" cannot be stored: an object and a folder of objects would share one path`,
    {
      code: StorageErrorCode.KEY_CONFLICT,
      cause,
    },
  );
}

export function rangeNotSatisfiable(key: string, start: number, size: number): AppError {
  // 416 Range Not Satisfiable has no class of its own in @myorg/error.
  return new AppError(`range starting at byte ${start} is outside "${key}" (${size} bytes)`, {
    status: 416,
    code: StorageErrorCode.RANGE,
    headers: { 'content-range': `bytes */${size}` },
  });
}

export function invalidOption(message: string): BadRequestError {
  return new BadRequestError(message, { code: StorageErrorCode.INVALID_OPTION });
}
