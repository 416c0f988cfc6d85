/** What callers of the audit trail (`GET /-/audit`, `myorg-admin audit`) and of `myorg-admin hooks` are told. */
export const EventMessages = {
  invalidSince: (value: string) =>
    `since must be a date or time (2026-12-07, 2026-12-07T10:00:00Z) or an age such as 30m, 24h or 7d, not ${JSON.stringify(value)}`,
  invalidLimit: (value: string, max: number) =>
    `limit must be a whole number from 1 to ${max}, not ${JSON.stringify(value)}`,
  invalidCursor: 'cursor must be one a previous page of the audit trail answered',
  invalidHookTarget: (target: string) =>
    `a webhook is for * (every package), a scope (@myorg) or one package name, not ${JSON.stringify(target)}`,
  invalidHookUrl: (url: string) =>
    `a webhook's URL must be an http:// or https:// URL, not ${JSON.stringify(url)}`,
  noSuchHook: (id: string) => `no webhook with id ${id}: \`myorg-admin hooks ls\` lists them`,
} as const;
