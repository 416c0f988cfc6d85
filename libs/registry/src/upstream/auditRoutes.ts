import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Header } from '@myorg/constants';
import { BadRequestError, NotImplementedError, PayloadTooLargeError } from '@myorg/error';
import { type HttpRequest, parseJsonBody, readBody } from '@myorg/middleware';
import { isPlainObject } from '@myorg/utilities';
import { type Route, type RouteHandler, route } from '../http/types.ts';
import { UpstreamMessages } from './messages.ts';
import type { UpstreamProxy } from './UpstreamProxy.ts';
import type { AuditKind } from './withoutPrivatePackages.ts';

const gunzipAsync = promisify(gunzip);
/**
 * The largest audit body, sent or unpacked: a bulk audit names each package of the tree once with
 * its versions (about 40 bytes per package, so well under 1 MB for the largest trees), and the
 * older quick audit of a large lockfile takes a few MB. 16 MB leaves room for both and stops a gzip
 * bomb long before it costs memory.
 */
export const MAX_AUDIT_BYTES = 16 * 1024 * 1024;
/**
 * The most object members an audit body may hold: a bulk audit has one per package, so this is
 * 50,000 packages, ten times the largest real trees. What costs the main thread is members, not
 * bytes (parsing, then a private-package lookup per name); measured on a loaded 2-core machine, a
 * body at this bound holds up other requests for well under a second.
 */
export const MAX_AUDIT_MEMBERS = 50_000;

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

/**
 * The JSON object npm sends, gzip-compressed as npm sends it (`Content-Encoding: gzip`) or not.
 * Every refusal is the client's 400 or 413, decided before the upstream is asked.
 */
async function readAuditBody(req: HttpRequest): Promise<Record<string, unknown>> {
  let bytes: Buffer = await readBody(req, MAX_AUDIT_BYTES);
  if (req.headers[Header.CONTENT_ENCODING]?.trim().toLowerCase() === 'gzip') {
    try {
      // Inflated on the thread pool, and stopped as soon as the output passes the limit.
      bytes = await gunzipAsync(bytes, { maxOutputLength: MAX_AUDIT_BYTES });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new PayloadTooLargeError(UpstreamMessages.auditBodyTooLarge(MAX_AUDIT_BYTES));
      }
      throw new BadRequestError(UpstreamMessages.auditBodyNotGzip, { cause: error });
    }
  }
  const body = parseJsonBody(bytes, MAX_AUDIT_MEMBERS);
  if (!isPlainObject(body)) throw new BadRequestError(UpstreamMessages.auditBodyMustBeObject);
  return body;
}
