/** The codes on errors DocumentStore raises itself (storage errors, such as `EPRECONDITION`, pass through). */
export const DocumentErrorCode = {
  /** `create` found a document under the id. */
  EXISTS: 'EEXIST',
  /** The stored bytes are not valid JSON, or fail `validate`. */
  CORRUPT: 'ECORRUPT',
  /** A value to write has no JSON form (a BigInt, `undefined`). */
  NOT_JSON: 'ENOTJSON',
} as const;

export type DocumentErrorCodeName = (typeof DocumentErrorCode)[keyof typeof DocumentErrorCode];

/** A refusal or fault of the document layer, in its own terms: a server maps it to a status. */
export class DocumentError extends Error {
  readonly code: DocumentErrorCodeName;
  readonly id: string;

  constructor(code: DocumentErrorCodeName, id: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DocumentError';
    this.code = code;
    this.id = id;
  }
}

/** Whether `error` was raised by DocumentStore, with `code` when one is given. */
export function isDocumentError(error: unknown, code?: DocumentErrorCodeName): error is DocumentError {
  return error instanceof DocumentError && (code === undefined || error.code === code);
}
