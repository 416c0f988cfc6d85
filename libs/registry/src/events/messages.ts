/** What callers of the audit trail (`GET /-/audit`, `myorg-admin audit`) are told about their query. */
export const EventMessages = {
  invalidSince: (value: string) =>
    `since must be a date or time (2026-12-07, 2026-12-07T10:00:00Z) or an age such as 30m, 24h or 7d, not ${JSON.stringify(value)}`,
  invalidLimit: (value: string, max: number) =>
    `limit must be a whole number from 1 to ${max}, not ${JSON.stringify(value)}`,
  invalidCursor: 'cursor must be one a previous page of the audit trail answered',
} as const;
