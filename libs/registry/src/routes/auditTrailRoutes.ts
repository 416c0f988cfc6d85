import { json } from '@myorg/response';
import type { ObjectStorage } from '@myorg/storage';
import type { AccessPolicy } from '../access/AccessPolicy.ts';
import { auditQuery } from '../events/auditQuery.ts';
import { readAudit } from '../events/readAudit.ts';
import { type Route, route } from '../http/types.ts';

const fields = ['since', 'package', 'user', 'limit', 'cursor'] as const;

/**
 * `GET /-/audit?since=&package=&user=&limit=&cursor=`: one page of the audit trail, for
 * administrators only (REGISTRY_ADMINS); `cursor` in the answer asks for the next.
 */
export function auditTrailRoutes(storage: ObjectStorage, access: AccessPolicy, now: () => Date): Route[] {
  return [
    route('GET', '/-/audit', async (req, ctx) => {
      access.assert(ctx, 'administer');
      const text = Object.fromEntries(
        fields.flatMap((field) => {
          const value = req.query.get(field);
          return value === null ? [] : [[field, value]];
        }),
      );
      const page = await readAudit(storage, auditQuery(text, now()));
      return json(200, page, { 'cache-control': 'no-store' });
    }),
  ];
}
