import * as array from '@myorg/array';
import * as constants from '@myorg/constants';
import * as database from '@myorg/database';
import * as date from '@myorg/date';
import * as error from '@myorg/error';
import * as logger from '@myorg/logger';
import * as middleware from '@myorg/middleware';
import * as response from '@myorg/response';
import * as services from '@myorg/services';
import * as storage from '@myorg/storage';
import * as utilities from '@myorg/utilities';
import * as validation from '@myorg/validation';
import { describe, expect, it } from 'vitest';
import * as libraries from '../src/index.ts';

const expected = {
  array,
  constants,
  database,
  date,
  error,
  logger,
  middleware,
  response,
  services,
  storage,
  utilities,
  validation,
};

describe('@myorg/libraries', () => {
  it('re-exports every library under its own namespace', () => {
    expect(Object.keys(libraries).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('exposes the same bindings as @myorg/%s', (name, module) => {
    const namespace = libraries[name as keyof typeof libraries] as Record<string, unknown>;
    expect(Object.keys(namespace).sort()).toEqual(Object.keys(module).sort());
    for (const [key, value] of Object.entries(module)) expect(namespace[key]).toBe(value);
  });

  it('lets a consumer use libraries together through one import', async () => {
    // Prepare
    const store = new libraries.database.DocumentStore<{ tags: string[] }>(
      new libraries.storage.MemoryStorage(),
    );

    // Act
    await store.create('pkg', { tags: libraries.array.uniq(['a', 'a', 'b']) });
    const saved = await store.get('pkg');

    // Assess
    expect(saved?.value.tags).toEqual(['a', 'b']);
    expect(new libraries.error.NotFoundError().status).toBe(libraries.constants.HttpStatus.NOT_FOUND);
  });
});
