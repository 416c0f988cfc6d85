import { ContentType, Header, NpmMediaType } from '@myorg/constants';
import { NotFoundError } from '@myorg/error';
import { type HttpResponse, type PreparedBody, type RequestHeaders, sendPrepared } from '@myorg/response';
import { packumentFormReader } from '../http/packumentForm.ts';
import { type Route, route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { renderPackument, renderVersion } from '../packument/renderPackument.ts';
import { resolveVersion } from '../packument/resolveVersion.ts';
import type { Packument } from '../packument/types.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import { sendProxied, upstreamFor } from '../upstream/proxiedResponses.ts';
import type { UpstreamProxy } from '../upstream/UpstreamProxy.ts';

// Clients revalidate every time (a cheap 304 by ETag), so a publish is visible at once.
const packumentHeaders = { [Header.CACHE_CONTROL]: 'no-cache' };
const negotiatedHeaders = { ...packumentHeaders, [Header.VARY]: Header.ACCEPT };

const noSuchPackage = () => new NotFoundError(Messages.noSuchPackage);

function hasVersions(packument: Packument): boolean {
  for (const _version in packument.versions) return true;
  return false;
}

function send(
  body: PreparedBody | undefined,
  method: string,
  requestHeaders: RequestHeaders,
  headers: Record<string, string>,
  notFound: () => Error,
): HttpResponse {
  if (body === undefined) throw notFound();
  return sendPrepared(body, requestHeaders, { method, headers });
}

/** `GET /:pkg` (full or abbreviated by Accept) and `GET /:pkg/:version-or-tag`, with HEAD. */
export function packumentRoutes(
  packuments: PackumentRepository,
  upstream: UpstreamProxy | undefined,
): Route[] {
  const packumentForm = packumentFormReader();
  return [
    route('GET', '/:pkg', async (req, ctx, { pkg: name }) => {
      const form = packumentForm(req.headers[Header.ACCEPT]);
      const proxy = await upstreamFor(upstream, packuments, name);
      if (proxy !== undefined) {
        const proxied = await proxy.packument(name, form, ctx.baseUrl);
        return sendProxied(proxied, req, negotiatedHeaders, noSuchPackage);
      }
      const body = await packuments.body(
        name,
        `${form} ${ctx.baseUrl}`,
        form === 'abbreviated' ? NpmMediaType.ABBREVIATED : ContentType.JSON,
        (packument) => (hasVersions(packument) ? renderPackument(packument, form, ctx.baseUrl) : undefined),
      );
      return send(body, req.method, req.headers, negotiatedHeaders, noSuchPackage);
    }),
    route('GET', '/:pkg/:version', async (req, ctx, { pkg: name, version: spec }) => {
      const notFound = () => new NotFoundError(Messages.noSuchVersion(name, spec));
      const proxy = await upstreamFor(upstream, packuments, name);
      if (proxy !== undefined) {
        const proxied = await proxy.version(name, spec, ctx.baseUrl);
        return sendProxied(proxied, req, packumentHeaders, notFound);
      }
      const body = await packuments.body(
        name,
        `version ${spec} ${ctx.baseUrl}`,
        ContentType.JSON,
        (packument) => {
          const manifest = resolveVersion(packument, spec);
          return manifest === undefined ? undefined : renderVersion(manifest, ctx.baseUrl);
        },
      );
      return send(body, req.method, req.headers, packumentHeaders, notFound);
    }),
  ];
}
