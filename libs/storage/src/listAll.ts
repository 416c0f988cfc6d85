import type { ObjectInfo, ObjectStorage } from './ObjectStorage.ts';

/** Every object under `prefix`, in key order, following the cursor from page to page. */
export async function* listAll(storage: ObjectStorage, prefix?: string): AsyncGenerator<ObjectInfo> {
  let cursor: string | undefined;
  do {
    const page = await storage.list({ prefix, cursor });
    yield* page.objects;
    cursor = page.cursor;
  } while (cursor !== undefined);
}
