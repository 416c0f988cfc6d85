import { listAll, type ObjectStorage } from '@myorg/storage';
import { isPlainObject, safeJsonParse } from '@myorg/utilities';
import { AUDIT_PREFIX, auditDayPrefix, auditKey } from './AuditLog.ts';
import type { RegistryEvent } from './RegistryEvents.ts';

export interface AuditQuery {
  /** Events at or after this time. */
  since?: Date;
  package?: string;
  /** The actor, compared without regard to case. */
  user?: string;
  /** Events per page: a page ends after the batch that reaches it, so it may hold a batch more. */
  limit: number;
  /** Resume after the page that returned it (`AuditPage.cursor`). */
  cursor?: string;
  /** Most batches read for one page, however few match: bounds a query's work. Defaults to 500. */
  maxObjects?: number;
}

export interface AuditPage {
  /** Oldest first, by when their batch was written. */
  events: RegistryEvent[];
  /** Present when more may follow: pass it back as `cursor`. */
  cursor?: string;
}

/** Whether `cursor` is one `readAudit` hands out (a batch's key); anything else is refused by callers. */
export function isAuditCursor(cursor: string): boolean {
  return /^audit\/\d{4}-\d{2}-\d{2}\/[0-9TZ]+-[0-9a-f]+\.jsonl$/.test(cursor);
}

/**
 * One page of the audit trail, read from storage day by day from `since` (or the cursor's day), so
 * a query never lists the days before it. The cursor is the key of the last batch read.
 */
export async function readAudit(storage: ObjectStorage, query: AuditQuery): Promise<AuditPage> {
  const maxObjects = query.maxObjects ?? 500;
  const after = query.cursor;
  const sinceKey = query.since === undefined ? undefined : auditDayPrefix(query.since);
  const startDay = [after, sinceKey].reduce<string>(
    (latest, key) => (key !== undefined && dayOf(key) > latest ? dayOf(key) : latest),
    '',
  );
  // A batch written before `since` holds only older events: skipped unread.
  const sinceBatch = query.since === undefined ? undefined : auditKey(query.since, '');
  const sinceTime = query.since?.toISOString();
  const user = query.user?.toLowerCase();
  const events: RegistryEvent[] = [];
  let read = 0;
  for (const day of await listDays(storage)) {
    if (day < startDay) continue;
    for await (const { key } of listAll(storage, day)) {
      if ((after !== undefined && key <= after) || (sinceBatch !== undefined && key < sinceBatch)) continue;
      const stored = await storage.get(key);
      read++;
      for (const event of parseBatch(stored?.body.toString('utf8') ?? '')) {
        if (sinceTime !== undefined && event.time < sinceTime) continue;
        if (query.package !== undefined && event.package !== query.package) continue;
        if (user !== undefined && event.actor?.toLowerCase() !== user) continue;
        events.push(event);
      }
      if (events.length >= query.limit || read >= maxObjects) return { events, cursor: key };
    }
  }
  return { events };
}

/** `audit/2026-12-07/` of a key or day prefix. */
function dayOf(key: string): string {
  return key.slice(0, AUDIT_PREFIX.length + 11);
}

async function listDays(storage: ObjectStorage): Promise<string[]> {
  const days: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await storage.list({ prefix: AUDIT_PREFIX, delimiter: '/', cursor });
    days.push(...page.prefixes);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return days.sort();
}

/** The events of one batch; a line that is not one (never written by the registry) is skipped. */
function parseBatch(text: string): RegistryEvent[] {
  const events: RegistryEvent[] = [];
  for (const line of text.split('\n')) {
    const parsed = line === '' ? undefined : safeJsonParse(line);
    if (!parsed?.ok) continue;
    const { value } = parsed;
    if (isPlainObject(value) && typeof value.time === 'string' && typeof value.action === 'string') {
      events.push(value as unknown as RegistryEvent);
    }
  }
  return events;
}
