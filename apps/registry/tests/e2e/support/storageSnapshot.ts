import { createHash } from 'node:crypto';
import { listAll } from '@myorg/storage';
import { comparableBody } from '../../../../../libs/registry/tests/support/comparableBody.ts';
import type { TestStorage } from './testStorage.ts';

/** A batch of the audit trail: `audit/<day>/<time>-<random>.jsonl`, wherever the storage's root is. */
const AUDIT_BATCH = /(^|\/)audit\/\d{4}-\d{2}-\d{2}\/[^/]+\.jsonl$/;

/**
 * Every object in `storage`, by key, with a sha256 of its bytes, read as a registry reads them:
 * two equal snapshots mean a request changed nothing in storage (no object added, removed or
 * rewritten).
 */
export async function snapshotStorage(storage: TestStorage): Promise<Record<string, string>> {
  const opened = storage.open();
  const snapshot: Record<string, string> = {};
  for await (const { key } of listAll(opened)) {
    // The audit trail records refusals too: what happened, not a change a refused request made.
    // (Matched at the key's end: a test may snapshot a folder holding the storage.)
    if (AUDIT_BATCH.test(key)) continue;
    const object = await opened.get(key);
    snapshot[key] = object
      ? createHash('sha256').update(comparableBody(key, object.body)).digest('hex')
      : 'deleted meanwhile';
  }
  return snapshot;
}
