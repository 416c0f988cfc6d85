import { BadRequestError } from '@myorg/error';
import { EventMessages } from './messages.ts';
import { type AuditQuery, isAuditCursor } from './readAudit.ts';

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1000;

const ageUnits: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since` / `?since=`: an ISO date or time, or an age before `now` (`30m`, `24h`, `7d`); else 400. */
export function parseSince(value: string, now: Date): Date {
  const age = /^(\d+)([mhd])$/.exec(value);
  if (age?.[1] !== undefined && age[2] !== undefined) {
    return new Date(now.getTime() - Number(age[1]) * (ageUnits[age[2]] ?? 0));
  }
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : undefined;
  if (time === undefined || Number.isNaN(time.getTime()))
    throw new BadRequestError(EventMessages.invalidSince(value));
  return time;
}

/** The options of one query in their text form, as a URL or a command line gives them. */
export interface AuditQueryText {
  since?: string;
  package?: string;
  user?: string;
  limit?: string;
  cursor?: string;
}

/** Checks and converts what a caller asked for (400 for anything malformed). */
export function auditQuery(text: AuditQueryText, now: Date): AuditQuery {
  const limit = text.limit === undefined ? DEFAULT_AUDIT_LIMIT : Number(text.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
    throw new BadRequestError(EventMessages.invalidLimit(String(text.limit), MAX_AUDIT_LIMIT));
  }
  if (text.cursor !== undefined && !isAuditCursor(text.cursor)) {
    throw new BadRequestError(EventMessages.invalidCursor);
  }
  const query: AuditQuery = { limit };
  if (text.since !== undefined) query.since = parseSince(text.since, now);
  if (text.package !== undefined) query.package = text.package;
  if (text.user !== undefined) query.user = text.user;
  if (text.cursor !== undefined) query.cursor = text.cursor;
  return query;
}
