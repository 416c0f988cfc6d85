export {
  DocumentStore,
  type DocumentStoreOptions,
  type UpdateOptions,
  type Versioned,
} from './DocumentStore.ts';
export {
  DocumentError,
  DocumentErrorCode,
  type DocumentErrorCodeName,
  isDocumentError,
} from './documentErrors.ts';
export { type RetryOptions, retryOnConflict } from './retryOnConflict.ts';
