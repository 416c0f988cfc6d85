import { ContentType, Header, NpmMediaType } from '@myorg/constants';
import { NotFoundError } from '@myorg/error';
import type { HttpRequest } from '@myorg/middleware';
import { type HttpResponse, type PreparedBody, sendPrepared } from '@myorg/response';
import type { AccessPolicy } from '../access/AccessPolicy.ts';
import { packumentFormReader } from '../http/packumentForm.ts';
import { packageRoute, type Route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { renderPackument, renderVersion } from '../packument/renderPackument.ts';
import { resolveVersion } from '../packument/resolveVersion.ts';
import type { Packument, PackumentForm } from '../packument/types.ts';
import type { PackageRules, SupplyChainPolicy } from '../policy/SupplyChainPolicy.ts';
import type { ServedDocument } from '../policy/withholdVersions.ts';
import type { DirectReads } from '../storage/DirectReads.ts';
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

/**
 * Answers with a body served from here; `notFound` when there is none. With `direct`, a body
 * larger than the transport carries is redirected to storage.
 */
function sendLocal(
  name: string,
  body: PreparedBody | undefined,
  req: HttpRequest,
  headers: Record<string, string>,
  notFound: () => Error,
  direct: DirectReads | undefined,
): HttpResponse | Promise<HttpResponse> {
  if (body === undefined) throw notFound();
  const response = sendPrepared(body, req.headers, { method: req.method, headers });
  return direct === undefined ? response : direct.fit(name, body, response);
}

/**
 * The body of a local packument in one form, as served at `baseUrl` without what `rules` withhold;
 * undefined when there is none.
 */
export function packumentBody(
  packuments: PackumentRepository,
  name: string,
  form: PackumentForm,
  baseUrl: string,
  rules?: PackageRules,
): Promise<PreparedBody | undefined> {
  const variant = `${form} ${baseUrl}`;
  return packuments.body(
    name,
    rules === undefined ? variant : (packument) => `${variant} ${rules.key(packument.time)}`,
    form === 'abbreviated' ? NpmMediaType.ABBREVIATED : ContentType.JSON,
    (packument) => {
      if (!hasVersions(packument)) return undefined;
      const rendered = renderPackument(packument, form, baseUrl);
      return rules === undefined ? rendered : rules.withhold(rendered as ServedDocument, packument.time);
    },
  );
}

/** `GET /:pkg` (full or abbreviated by Accept) and `GET /:pkg/:version-or-tag`, with HEAD. */
export function packumentRoutes(
  packuments: PackumentRepository,
  access: AccessPolicy,
  upstream: UpstreamProxy | undefined,
  direct: DirectReads | undefined,
  policy: SupplyChainPolicy,
): Route[] {
  const packumentForm = packumentFormReader();

  // The handlers spell out both paths rather than share a helper taking callbacks: these are the
  // hottest requests, and an extra async frame and three closures per request cost ~10 % of them.
  return [
    packageRoute('GET', '/:pkg', async (req, ctx, { pkg: name }) => {
      await access.assertRead(ctx, name, () => packuments.read(name));
      const form = packumentForm(req.headers[Header.ACCEPT]);
      const proxy = await upstreamFor(upstream, packuments, name);
      if (proxy !== undefined) {
        const rules = await policy.rulesFor(name, 'upstream');
        return sendProxied(
          await proxy.packument(name, form, ctx.baseUrl, rules),
          req,
          negotiatedHeaders,
          noSuchPackage,
        );
      }
      const rules = await policy.rulesFor(name, 'local');
      const body = await packumentBody(packuments, name, form, ctx.baseUrl, rules);
      return sendLocal(name, body, req, negotiatedHeaders, noSuchPackage, direct);
    }),
    packageRoute('GET', '/:pkg/:version', async (req, ctx, { pkg: name, version: spec }) => {
      await access.assertRead(ctx, name, () => packuments.read(name));
      const notFound = () => new NotFoundError(Messages.noSuchVersion(name, spec));
      const proxy = await upstreamFor(upstream, packuments, name);
      if (proxy !== undefined) {
        const rules = await policy.rulesFor(name, 'upstream');
        return sendProxied(
          await proxy.version(name, spec, ctx.baseUrl, rules),
          req,
          packumentHeaders,
          notFound,
        );
      }
      const rules = await policy.rulesFor(name, 'local');
      const variant = `version ${spec} ${ctx.baseUrl}`;
      const body = await packuments.body(
        name,
        rules === undefined ? variant : (packument) => `${variant} ${rules.key(packument.time)}`,
        ContentType.JSON,
        (packument) => {
          const served =
            rules === undefined
              ? spec
              : rules.resolve(spec, packument['dist-tags'], packument.versions, packument.time);
          const manifest = served === undefined ? undefined : resolveVersion(packument, served);
          return manifest === undefined ? undefined : renderVersion(manifest, ctx.baseUrl);
        },
      );
      return sendLocal(name, body, req, packumentHeaders, notFound, direct);
    }),
  ];
}
