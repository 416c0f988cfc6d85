import { Header } from '@myorg/constants';
import { NotFoundError } from '@myorg/error';
import type { HttpRequest } from '@myorg/middleware';
import { empty, type HttpResponse, isNotModified, sendPrepared } from '@myorg/response';
import { tarballHeaders } from '../http/tarballHeaders.ts';
import { Messages } from '../messages.ts';
import type { PackageRules } from '../policy/SupplyChainPolicy.ts';
import type { DirectReads } from '../storage/DirectReads.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import type { ProxiedBody, UpstreamProxy } from './UpstreamProxy.ts';

/**
 * The `Warning` a response carries when it comes from a copy the upstream could not confirm
 * (RFC 7234's "Response is Stale"): clients ignore it, people and proxies reading headers see it.
 */
export const STALE_WARNING = '110 - "Response is Stale"';

/**
 * The upstream proxy when it may answer for `name`: one is configured and no package of that
 * name is published here. A local package, even one whose versions were all unpublished, is
 * answered from here alone.
 */
export async function upstreamFor(
  upstream: UpstreamProxy | undefined,
  packuments: PackumentRepository,
  name: string,
): Promise<UpstreamProxy | undefined> {
  if (upstream === undefined) return undefined;
  return (await packuments.read(name)) === undefined ? upstream : undefined;
}

/** Answers with a proxied body (304 by ETag as for local ones), marked when stale; `notFound` when there is none. */
export function sendProxied(
  proxied: ProxiedBody | undefined,
  req: HttpRequest,
  headers: Record<string, string>,
  notFound: () => Error,
): HttpResponse {
  if (proxied === undefined) throw notFound();
  const marked = proxied.stale ? { ...headers, [Header.WARNING]: STALE_WARNING } : headers;
  return sendPrepared(proxied.body, req.headers, { method: req.method, headers: marked });
}

/**
 * `GET` / `HEAD` of an upstream tarball: sent as it arrives from the upstream when not held yet;
 * refused when `rules` withhold its version.
 */
export async function sendUpstreamTarball(
  upstream: UpstreamProxy,
  req: HttpRequest,
  name: string,
  version: string,
  fileName: string,
  direct: DirectReads | undefined,
  rules: PackageRules | undefined,
): Promise<HttpResponse> {
  if (req.method === 'HEAD' || direct !== undefined) {
    // Finding it stores it (downloaded and verified first if need be), so a redirect has bytes to go to.
    const found = await upstream.headTarball(name, version, rules);
    if (found === undefined) throw new NotFoundError(Messages.noSuchTarball(fileName));
    const headers = tarballHeaders(found.etag);
    if (req.method === 'HEAD' || direct === undefined) {
      return empty(200, { ...headers, [Header.CONTENT_LENGTH]: String(found.size) });
    }
    if (isNotModified(req.headers, found.etag)) return empty(304, headers);
    return direct.stored(found.key);
  }
  const found = await upstream.openTarball(name, version, rules);
  if (found === undefined) throw new NotFoundError(Messages.noSuchTarball(fileName));
  const headers = tarballHeaders(found.etag);
  if (isNotModified(req.headers, found.etag)) {
    // A download in progress goes on into storage without this client.
    if (!(found.body instanceof Uint8Array)) found.body.destroy();
    return empty(304, headers);
  }
  // Without a length (an upstream that did not say), the body is chunked; cut short, it stays incomplete.
  if (found.size !== undefined) headers[Header.CONTENT_LENGTH] = String(found.size);
  return { status: 200, headers, body: found.body };
}
