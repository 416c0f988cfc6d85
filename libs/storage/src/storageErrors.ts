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

/**
 * What every backend raises on purpose. It says what went wrong in storage terms only: a server
 * decides which HTTP answer that is (the registry does so once, at its edge).
 */
export class StorageError extends Error {
  readonly code: StorageErrorCodeName;
  /** The key (or prefix) concerned, when there is one. */
  readonly key: string | undefined;
  /** The object's size, for `ERANGE`: a server answers 416 with `Content-Range: bytes *\/<size>`. */
  readonly size: number | undefined;

  constructor(
    code: StorageErrorCodeName,
    message: string,
    options: { key?: string; size?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
    this.key = options.key;
    this.size = options.size;
  }
}

/** Whether `error` was raised by a storage backend, with `code` when one is given. */
export function isStorageError(error: unknown, code?: StorageErrorCodeName): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}

export function invalidKey(key: unknown, reason: string): StorageError {
  return new StorageError(
    StorageErrorCode.INVALID_KEY,
    `invalid storage key ${JSON.stringify(key)}: ${reason}`,
    typeof key === 'string' ? { key } : {},
  );
}

export function preconditionFailed(key: string, reason: string): StorageError {
  return new StorageError(StorageErrorCode.PRECONDITION, `precondition failed for "${key}": ${reason}`, {
    key,
  });
}

export function keyConflict(key: string, cause: unknown): StorageError {
  return new StorageError(
    StorageErrorCode.KEY_CONFLICT,
    `"${key}" cannot be stored: an object and a folder of objects would share one path`,
    { key, cause },
  );
}

export function rangeNotSatisfiable(key: string, start: number, size: number): StorageError {
  return new StorageError(
    StorageErrorCode.RANGE,
    `range starting at byte ${start} is outside "${key}" (${size} bytes)`,
    { key, size },
  );
}

export function invalidOption(message: string): StorageError {
  return new StorageError(StorageErrorCode.INVALID_OPTION, message);
}
