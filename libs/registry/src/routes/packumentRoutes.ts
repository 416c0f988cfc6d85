import { ContentType, Header, NpmMediaType } from '@myorg/constants';
import { NotFoundError } from '@myorg/error';
import { type HttpResponse, type PreparedBody, type RequestHeaders, sendPrepared } from '@myorg/response';
import { packumentForm } from '../http/packumentForm.ts';
import type { Route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { renderPackument, renderVersion } from '../packument/renderPackument.ts';
import { resolveVersion } from '../packument/resolveVersion.ts';
import type { Packument } from '../packument/types.ts';
import type { RegistryServices } from '../RegistryServices.ts';
import { sendProxied, upstreamFor } from '../upstream/proxiedResponses.ts';

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
export function packumentRoutes(services: RegistryServices): Route[] {
  return [
    {
      method: 'GET',
      path: '/:pkg',
      handler: async (req, ctx, { pkg }) => {
        const name = pkg!;
        const form = packumentForm(req.headers[Header.ACCEPT]);
        const upstream = await upstreamFor(services, name);
        if (upstream !== undefined) {
          const proxied = await upstream.packument(name, form, ctx.baseUrl);
          return sendProxied(proxied, req, negotiatedHeaders, noSuchPackage);
        }
        const body = await services.packuments.body(
          name,
          `${form} ${ctx.baseUrl}`,
          form === 'abbreviated' ? NpmMediaType.ABBREVIATED : ContentType.JSON,
          (packument) => (hasVersions(packument) ? renderPackument(packument, form, ctx.baseUrl) : undefined),
        );
        return send(body, req.method, req.headers, negotiatedHeaders, noSuchPackage);
      },
    },
    {
      method: 'GET',
      path: '/:pkg/:version',
      handler: async (req, ctx, { pkg, version: spec }) => {
        const name = pkg!;
        const notFound = () => new NotFoundError(Messages.noSuchVersion(name, spec!));
        const upstream = await upstreamFor(services, name);
        if (upstream !== undefined) {
          const proxied = await upstream.version(name, spec!, ctx.baseUrl);
          return sendProxied(proxied, req, packumentHeaders, notFound);
        }
        const body = await services.packuments.body(
          name,
          `version ${spec} ${ctx.baseUrl}`,
          ContentType.JSON,
          (packument) => {
            const manifest = resolveVersion(packument, spec!);
            return manifest === undefined ? undefined : renderVersion(manifest, ctx.baseUrl);
          },
        );
        return send(body, req.method, req.headers, packumentHeaders, notFound);
      },
    },
  ];
}
