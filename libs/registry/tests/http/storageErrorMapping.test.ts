import { DocumentStore } from '@myorg/database';
import { type AppError, toAppError } from '@myorg/error';
import { MemoryStorage, StorageError, StorageErrorCode } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { httpErrorOf } from '../../src/http/storageErrorMapping.ts';

/** What a storage call raised, as the client would get it. */
async function answerTo(call: () => Promise<unknown>): Promise<AppError> {
  const error = await call().then(
    () => expect.fail('expected a rejection'),
    (caught: unknown) => caught,
  );
  return toAppError(httpErrorOf(error));
}

describe('httpErrorOf', () => {
  it('answers each storage error with the status, code and headers clients always got', async () => {
    const storage = new MemoryStorage();
    await storage.put('a/b', '0123456789');

    const range = await answerTo(() => storage.getStream('a/b', { start: 10 }));
    const precondition = await answerTo(() => storage.put('a/b', 'x', { ifNoneMatch: '*' }));
    const invalidKey = await answerTo(() => storage.get('../escape'));
    const invalidOption = await answerTo(() => storage.list({ limit: 0 }));

    expect(range).toMatchObject({ status: 416, code: 'ERANGE', headers: { 'content-range': 'bytes */10' } });
    expect(precondition).toMatchObject({ status: 412, code: 'EPRECONDITION' });
    expect(invalidKey).toMatchObject({ status: 400, code: 'EINVALIDKEY' });
    expect(invalidOption).toMatchObject({ status: 400, code: 'EINVALIDOPTION' });
    expect(range.message).toContain('"a/b"');
  });

  it('answers a key that is both object and folder (filesystem only) with 409', () => {
    const conflict = new StorageError(StorageErrorCode.KEY_CONFLICT, 'a/b is a folder', { key: 'a/b' });
    expect(toAppError(httpErrorOf(conflict))).toMatchObject({ status: 409, code: 'EKEYCONFLICT' });
  });

  it('answers document errors with 409, 400 and a 500 whose message stays private', async () => {
    const storage = new MemoryStorage();
    const documents = new DocumentStore<unknown>(storage);
    await documents.create('doc', { n: 1 });
    await storage.put('broken.json', '{');

    const exists = await answerTo(() => documents.create('doc', { n: 2 }));
    const notJson = await answerTo(() => documents.create('other', 1n));
    const corrupt = await answerTo(() => documents.get('broken'));

    expect(exists).toMatchObject({ status: 409, code: 'EEXIST' });
    expect(notJson).toMatchObject({ status: 400, code: 'E400' });
    expect(corrupt).toMatchObject({ status: 500, expose: false });
  });

  it('leaves every other error as it is', () => {
    const other = new Error('boom');
    expect(httpErrorOf(other)).toBe(other);
  });
});
