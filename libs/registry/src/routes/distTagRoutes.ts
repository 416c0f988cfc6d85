import { Header } from '@myorg/constants';
import { NotFoundError } from '@myorg/error';
import { readJson } from '@myorg/middleware';
import { json } from '@myorg/response';
import { requireWriter } from '../auth/requirePrincipal.ts';
import { requirePublished } from '../changes/changePackage.ts';
import { removeDistTag } from '../distTags/removeDistTag.ts';
import { setDistTag } from '../distTags/setDistTag.ts';
import type { Route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { assertMaintainer } from '../packument/maintainers.ts';
import type { Packument } from '../packument/types.ts';
import type { RegistryServices } from '../RegistryServices.ts';
import { sendProxied, upstreamFor } from '../upstream/proxiedResponses.ts';

// A dist-tag body is a JSON string such as "1.2.3": a few bytes.
const MAX_TAG_BODY = 4096;
const tagHeaders = { [Header.CACHE_CONTROL]: 'no-cache' };
const noSuchPackage = () => new NotFoundError(Messages.noSuchPackage);

/** The packument of a published package that `user` maintains: else 404 or 403. */
function maintainedBy(current: Packument | undefined, user: string): Packument {
  const published = requirePublished(current);
  assertMaintainer(published, user);
  return published;
}

/** `npm dist-tag ls|add|rm`: `GET /-/package/:pkg/dist-tags`, `PUT` and `DELETE …/dist-tags/:tag`. */
export function distTagRoutes(services: RegistryServices): Route[] {
  return [
    {
      method: 'GET',
      path: '/-/package/:pkg/dist-tags',
      handler: async (req, _ctx, { pkg }) => {
        const name = pkg!;
        const upstream = await upstreamFor(services, name);
        if (upstream !== undefined) {
          return sendProxied(await upstream.distTags(name), req, tagHeaders, noSuchPackage);
        }
        const packument = requirePublished(await services.packuments.read(name));
        return json(200, packument['dist-tags'], tagHeaders);
      },
    },
    {
      method: 'PUT',
      path: '/-/package/:pkg/dist-tags/:tag',
      handler: async (req, ctx, { pkg, tag }) => {
        const principal = requireWriter(ctx);
        const version = await readJson(req, MAX_TAG_BODY);
        const stored = await services.packuments.update(pkg!, (current) =>
          setDistTag(maintainedBy(current, principal.name), tag!, version, services.now()),
        );
        return json(200, { ok: Messages.tagged, id: pkg, 'dist-tags': stored['dist-tags'] });
      },
    },
    {
      method: 'DELETE',
      path: '/-/package/:pkg/dist-tags/:tag',
      handler: async (_req, ctx, { pkg, tag }) => {
        const principal = requireWriter(ctx);
        const stored = await services.packuments.update(pkg!, (current) =>
          removeDistTag(maintainedBy(current, principal.name), tag!, services.now()),
        );
        return json(200, { ok: Messages.untagged, id: pkg, 'dist-tags': stored['dist-tags'] });
      },
    },
  ];
}
