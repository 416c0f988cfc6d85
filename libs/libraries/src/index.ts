// Every @myorg library under one import, each behind its own namespace so names never collide
// (`storage.MemoryStorage`, `error.NotFoundError`). Consumers that want one library should depend on it directly.
export * as array from '@myorg/array';
export * as constants from '@myorg/constants';
export * as database from '@myorg/database';
export * as date from '@myorg/date';
export * as error from '@myorg/error';
export * as logger from '@myorg/logger';
export * as middleware from '@myorg/middleware';
export * as response from '@myorg/response';
export * as services from '@myorg/services';
export * as storage from '@myorg/storage';
export * as utilities from '@myorg/utilities';
export * as validation from '@myorg/validation';
