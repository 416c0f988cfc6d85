import { DocumentStore, type Versioned } from '@myorg/database';
import type { ObjectStorage } from '@myorg/storage';
import { isPlainObject } from '@myorg/utilities';
import type { Packument } from '../packument/types.ts';
import type { PackumentStore } from './PackumentStore.ts';
import { PACKUMENTS_PREFIX } from './storageKeys.ts';

// Twenty publishes of one package at once must all land: enough tries, with short jittered pauses.
const RETRY = { attempts: 60, baseDelayMs: 2, maxDelayMs: 250 };

// The last documents written, kept so that the next write of a package starts from them instead of
// reading and parsing megabytes again (publishing into a 1,000-version package). A few suffice: a
// busy package is written again soon. The cache holds the very same objects, so this costs little.
const REMEMBERED_WRITES = 16;

/** The shape every stored packument has; anything else in storage is corrupt, not a package. */
function asPackument(value: unknown): Packument {
  if (
    !isPlainObject(value) ||
    typeof value.name !== 'string' ||
    typeof value._rev !== 'string' ||
    !isPlainObject(value.versions) ||
    !isPlainObject(value['dist-tags']) ||
    !isPlainObject(value.time)
  ) {
    throw new TypeError('not a packument: name, _rev, versions, dist-tags and time are required');
  }
  return value as Packument;
}

/**
 * Packuments as JSON documents under `packuments/` (see storageKeys), written through
 * DocumentStore's conditional writes: each update replaces exactly the revision it read.
 */
export function createPackumentStore(storage: ObjectStorage): PackumentStore {
  const documents = new DocumentStore<Packument>(storage, {
    prefix: PACKUMENTS_PREFIX,
    validate: asPackument,
    // Packuments are never changed once built (every change makes new objects) and are plain JSON.
    answerWrittenValue: true,
  });
  const lastWritten = new Map<string, Versioned<Packument>>();
  const remember = (name: string, written: Versioned<Packument>) => {
    lastWritten.delete(name);
    lastWritten.set(name, written);
    if (lastWritten.size > REMEMBERED_WRITES) lastWritten.delete(lastWritten.keys().next().value!);
  };
  return {
    async read(name) {
      return (await documents.get(name))?.value;
    },
    async update(name, mutate) {
      const written = await documents.update(
        name,
        (current) => {
          const next = mutate(current?.value);
          // Handing back the document it was given means "no change": DocumentStore then writes nothing.
          return next === current?.value ? undefined : next;
        },
        // A stale copy is noticed by its version and read afresh; the write is conditional anyway.
        { ...RETRY, current: lastWritten.get(name) },
      );
      // Defined: either something was written, or mutate returned the (existing) current document.
      remember(name, written!);
      return written!.value;
    },
    async *all() {
      for await (const name of documents.list()) {
        const document = await documents.get(name);
        if (document !== undefined) yield document.value;
      }
    },
  };
}
