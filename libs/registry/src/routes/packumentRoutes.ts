import { ContentType, Header, NpmMediaType } from '@myorg/constants';
import { NotFoundError } from '@myorg/error';
import type { HttpRequest } from '@myorg/middleware';
import { type HttpResponse, type PreparedBody, sendPrepared } from '@myorg/response';
import { packumentFormReader } from '../http/packumentForm.ts';
import { type Route, route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { renderPackument, renderVersion } from '../packument/renderPackument.ts';
import { resolveVersion } from '../packument/resolveVersion.ts';
import type { Packument } from '../packument/types.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import { sendProxied, upstreamFor } from '../upstream/proxiedResponses.ts';
import type { ProxiedBody, UpstreamProxy } from '../upstream/UpstreamProxy.ts';

// Clients revalidate every time (a cheap 304 by ETag), so a publish is visible at once.
const packumentHeaders = { [Header.CACHE_CONTROL]: 'no-cache' };
const negotiatedHeaders = { ...packumentHeaders, [Header.VARY]: Header.ACCEPT };

const noSuchPackage = () => new NotFoundError(Messages.noSuchPackage);

function hasVersions(packument: Packument): boolean {
  for (const _version in packument.versions) return true;
  return false;
}

/** `GET /:pkg` (full or abbreviated by Accept) and `GET /:pkg/:version-or-tag`, with HEAD. */
export function packumentRoutes(
  packuments: PackumentRepository,
  upstream: UpstreamProxy | undefined,
): Route[] {
  const packumentForm = packumentFormReader();

  /**
   * Answers with what the upstream proxy has when it may answer for `name`, else with the local
   * body; `notFound` when the one asked has nothing.
   */
  async function sendFromEither(
    req: HttpRequest,
    name: string,
    headers: Record<string, string>,
    notFound: () => Error,
    fromUpstream: (proxy: UpstreamProxy) => Promise<ProxiedBody | undefined>,
    fromHere: () => Promise<PreparedBody | undefined>,
  ): Promise<HttpResponse> {
    const proxy = await upstreamFor(upstream, packuments, name);
    if (proxy !== undefined) return sendProxied(await fromUpstream(proxy), req, headers, notFound);
    const body = await fromHere();
    if (body === undefined) throw notFound();
    return sendPrepared(body, req.headers, { method: req.method, headers });
  }

  return [
    route('GET', '/:pkg', async (req, ctx, { pkg: name }) => {
      const form = packumentForm(req.headers[Header.ACCEPT]);
      return sendFromEither(
        req,
        name,
        negotiatedHeaders,
        noSuchPackage,
        (proxy) => proxy.packument(name, form, ctx.baseUrl),
        () =>
          packuments.body(
            name,
            `${form} ${ctx.baseUrl}`,
            form === 'abbreviated' ? NpmMediaType.ABBREVIATED : ContentType.JSON,
            (packument) =>
              hasVersions(packument) ? renderPackument(packument, form, ctx.baseUrl) : undefined,
          ),
      );
    }),
    route('GET', '/:pkg/:version', async (req, ctx, { pkg: name, version: spec }) => {
      return sendFromEither(
        req,
        name,
        packumentHeaders,
        () => new NotFoundError(Messages.noSuchVersion(name, spec)),
        (proxy) => proxy.version(name, spec, ctx.baseUrl),
        () =>
          packuments.body(name, `version ${spec} ${ctx.baseUrl}`, ContentType.JSON, (packument) => {
            const manifest = resolveVersion(packument, spec);
            return manifest === undefined ? undefined : renderVersion(manifest, ctx.baseUrl);
          }),
      );
    }),
  ];
}
