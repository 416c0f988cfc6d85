import { createHash } from 'node:crypto';
import { AUDIT_PREFIX } from '@myorg/registry';
import { listAll } from '@myorg/storage';
import { comparableBody } from '../../../../../libs/registry/tests/support/comparableBody.ts';
import type { TestStorage } from './testStorage.ts';

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
    if (key.startsWith(AUDIT_PREFIX)) continue;
    const object = await opened.get(key);
    snapshot[key] = object
      ? createHash('sha256').update(comparableBody(key, object.body)).digest('hex')
      : 'deleted meanwhile';
  }
  return snapshot;
}
