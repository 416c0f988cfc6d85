export {
  DocumentStore,
  type DocumentStoreOptions,
  type UpdateOptions,
  type Versioned,
} from './DocumentStore.ts';
export { type RetryOptions, retryOnConflict } from './retryOnConflict.ts';
