import { Header } from '@myorg/constants';
import { NotFoundError } from '@myorg/error';
import { readJson } from '@myorg/middleware';
import { json } from '@myorg/response';
import type { AccessPolicy, Caller } from '../access/AccessPolicy.ts';
import { requirePublished } from '../changes/changePackage.ts';
import { removeDistTag } from '../distTags/removeDistTag.ts';
import { setDistTag } from '../distTags/setDistTag.ts';
import { recordEvent } from '../events/RegistryEvents.ts';
import { packageRoute, type Route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { Packument } from '../packument/types.ts';
import type { SupplyChainPolicy } from '../policy/SupplyChainPolicy.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import { sendProxied, upstreamFor } from '../upstream/proxiedResponses.ts';
import type { UpstreamProxy } from '../upstream/UpstreamProxy.ts';

// A dist-tag body is a JSON string such as "1.2.3": a few bytes.
const MAX_TAG_BODY = 4096;
const tagHeaders = { [Header.CACHE_CONTROL]: 'no-cache' };
const noSuchPackage = () => new NotFoundError(Messages.noSuchPackage);

/**
 * The packument of a published package whose dist-tags `caller` may change: else 401, 403 or 404.
 * Decided on the document the write changes, after the request's first check (logged) on the read copy.
 */
function taggableBy(
  access: AccessPolicy,
  caller: Caller,
  name: string,
  current: Packument | undefined,
): Packument {
  access.recheck(caller, 'dist-tag', name, current);
  return requirePublished(current);
}

/** `npm dist-tag ls|add|rm`: `GET /-/package/:pkg/dist-tags`, `PUT` and `DELETE …/dist-tags/:tag`. */
export function distTagRoutes(
  packuments: PackumentRepository,
  access: AccessPolicy,
  upstream: UpstreamProxy | undefined,
  now: () => Date,
  policy: SupplyChainPolicy,
): Route[] {
  return [
    packageRoute('GET', '/-/package/:pkg/dist-tags', async (req, ctx, { pkg: name }) => {
      await access.assertRead(ctx, name, () => packuments.read(name));
      const proxy = await upstreamFor(upstream, packuments, name);
      if (proxy !== undefined) {
        const rules = await policy.rulesFor(name, 'upstream');
        return sendProxied(await proxy.distTags(name, rules), req, tagHeaders, noSuchPackage);
      }
      const packument = requirePublished(await packuments.read(name));
      const rules = await policy.rulesFor(name, 'local');
      const tags = packument['dist-tags'];
      return json(
        200,
        rules === undefined ? tags : rules.tags(tags, packument.versions, packument.time),
        tagHeaders,
      );
    }),
    packageRoute('PUT', '/-/package/:pkg/dist-tags/:tag', async (req, ctx, { pkg, tag }) => {
      access.assert(ctx, 'dist-tag', pkg, await packuments.read(pkg));
      const version = await readJson(req, MAX_TAG_BODY);
      const stored = await packuments.update(pkg, (current) =>
        setDistTag(taggableBy(access, ctx, pkg, current), tag, version, now()),
      );
      recordEvent(ctx, {
        action: 'dist-tag',
        outcome: 'ok',
        package: pkg,
        tag,
        version: stored['dist-tags'][tag],
      });
      return json(200, { ok: Messages.tagged, id: pkg, 'dist-tags': stored['dist-tags'] });
    }),
    packageRoute('DELETE', '/-/package/:pkg/dist-tags/:tag', async (_req, ctx, { pkg, tag }) => {
      access.assert(ctx, 'dist-tag', pkg, await packuments.read(pkg));
      const stored = await packuments.update(pkg, (current) =>
        removeDistTag(taggableBy(access, ctx, pkg, current), tag, now()),
      );
      recordEvent(ctx, { action: 'dist-tag', outcome: 'ok', package: pkg, tag });
      return json(200, { ok: Messages.untagged, id: pkg, 'dist-tags': stored['dist-tags'] });
    }),
  ];
}
