import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Header } from '@myorg/constants';
import { BadRequestError, NotImplementedError, PayloadTooLargeError } from '@myorg/error';
import { type HttpRequest, readBody } from '@myorg/middleware';
import { isPlainObject, safeJsonParse } from '@myorg/utilities';
import { type Route, type RouteHandler, route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { UpstreamMessages } from './messages.ts';
import type { UpstreamProxy } from './UpstreamProxy.ts';
import type { AuditKind } from './withoutPrivatePackages.ts';

const gunzipAsync = promisify(gunzip);
/** A bulk audit of a very large tree is a few MB; a body that inflates past this is not an audit. */
const MAX_AUDIT_BYTES = 64 * 1024 * 1024;

/**
 * `npm audit`: `POST /-/npm/v1/security/advisories/bulk` and the older
 * `/-/npm/v1/security/audits/quick`, forwarded to the upstream without private packages (private
 * scopes, and every package `isLocal` names). Without an upstream they answer 501.
 */
export function auditRoutes(
  upstream: UpstreamProxy | undefined,
  isLocal: (name: string) => Promise<boolean>,
): Route[] {
  const forward =
    (kind: AuditKind): RouteHandler =>
    async (req) => {
      if (upstream === undefined) throw new NotImplementedError(UpstreamMessages.auditWithoutUpstream);
      return upstream.audit(kind, await readAuditBody(req), isLocal);
    };
  return [
    route('POST', '/-/npm/v1/security/advisories/bulk', forward('bulk')),
    route('POST', '/-/npm/v1/security/audits/quick', forward('quick')),
  ];
}

/** The JSON object npm sends, gzip-compressed as npm sends it (`Content-Encoding: gzip`) or not. */
async function readAuditBody(req: HttpRequest): Promise<Record<string, unknown>> {
  let bytes: Buffer = await readBody(req);
  if (req.headers[Header.CONTENT_ENCODING]?.trim().toLowerCase() === 'gzip') {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: MAX_AUDIT_BYTES });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new PayloadTooLargeError(UpstreamMessages.auditBodyTooLarge(MAX_AUDIT_BYTES));
      }
      throw new BadRequestError(UpstreamMessages.auditBodyNotGzip, { cause: error });
    }
  }
  const parsed = safeJsonParse(bytes);
  if (!parsed.ok) throw new BadRequestError(Messages.malformedJson, { cause: parsed.error });
  if (!isPlainObject(parsed.value)) throw new BadRequestError(UpstreamMessages.auditBodyMustBeObject);
  return parsed.value;
}
