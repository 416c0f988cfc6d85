import { Header } from '@myorg/constants';
import { NotFoundError } from '@myorg/error';
import { readJson } from '@myorg/middleware';
import { json } from '@myorg/response';
import { requireWriter } from '../auth/requirePrincipal.ts';
import { requirePublished } from '../changes/changePackage.ts';
import { removeDistTag } from '../distTags/removeDistTag.ts';
import { setDistTag } from '../distTags/setDistTag.ts';
import { type Route, route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { assertMaintainer } from '../packument/maintainers.ts';
import type { Packument } from '../packument/types.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import { sendProxied, upstreamFor } from '../upstream/proxiedResponses.ts';
import type { UpstreamProxy } from '../upstream/UpstreamProxy.ts';

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
export function distTagRoutes(
  packuments: PackumentRepository,
  upstream: UpstreamProxy | undefined,
  now: () => Date,
): Route[] {
  return [
    route('GET', '/-/package/:pkg/dist-tags', async (req, _ctx, { pkg: name }) => {
      const proxy = await upstreamFor(upstream, packuments, name);
      if (proxy !== undefined) {
        return sendProxied(await proxy.distTags(name), req, tagHeaders, noSuchPackage);
      }
      const packument = requirePublished(await packuments.read(name));
      return json(200, packument['dist-tags'], tagHeaders);
    }),
    route('PUT', '/-/package/:pkg/dist-tags/:tag', async (req, ctx, { pkg, tag }) => {
      const principal = requireWriter(ctx);
      const version = await readJson(req, MAX_TAG_BODY);
      const stored = await packuments.update(pkg, (current) =>
        setDistTag(maintainedBy(current, principal.name), tag, version, now()),
      );
      return json(200, { ok: Messages.tagged, id: pkg, 'dist-tags': stored['dist-tags'] });
    }),
    route('DELETE', '/-/package/:pkg/dist-tags/:tag', async (_req, ctx, { pkg, tag }) => {
      const principal = requireWriter(ctx);
      const stored = await packuments.update(pkg, (current) =>
        removeDistTag(maintainedBy(current, principal.name), tag, now()),
      );
      return json(200, { ok: Messages.untagged, id: pkg, 'dist-tags': stored['dist-tags'] });
    }),
  ];
}
