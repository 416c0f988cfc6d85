export { DocumentStore, type DocumentStoreOptions, type Versioned } from './DocumentStore.ts';
export { type RetryOptions, retryOnConflict } from './retryOnConflict.ts';
