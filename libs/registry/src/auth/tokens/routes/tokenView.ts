import type { TokenRecord } from '../records.ts';

/** A token as `npm token list` and `npm token create` show it: npm's field names, never the secret. */
export function tokenView(record: TokenRecord): Record<string, unknown> {
  return {
    token: record.masked,
    key: record.key,
    name: record.name,
    ...(record.description === undefined ? {} : { description: record.description }),
    readonly: record.readOnly,
    // npm prints "with IP whitelist:" for any list it gets, so an unrestricted token has none.
    cidr_whitelist: record.cidrWhitelist.length === 0 ? null : record.cidrWhitelist,
    created: record.created,
    // Tokens are never changed after creation.
    updated: record.created,
    ...(record.expires === undefined ? {} : { expires: record.expires }),
  };
}
