import { Header } from '@myorg/constants';
import { BadRequestError, NotFoundError } from '@myorg/error';
import { empty, isNotModified, json } from '@myorg/response';
import { versionFromTarballFileName } from '@myorg/validation';
import type { AccessPolicy } from '../access/AccessPolicy.ts';
import { assertRevision, removeTarballs } from '../changes/changePackage.ts';
import { tarballHeaders } from '../http/tarballHeaders.ts';
import { packageRoute, type Route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { SupplyChainPolicy } from '../policy/SupplyChainPolicy.ts';
import type { DirectReads } from '../storage/DirectReads.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import type { TarballStore } from '../storage/TarballStore.ts';
import { sendUpstreamTarball } from '../upstream/proxiedResponses.ts';
import type { UpstreamProxy } from '../upstream/UpstreamProxy.ts';

/**
 * `GET /:pkg/-/:file` (streamed, with HEAD and ETag; with `direct`, a 302 to storage) and
 * `DELETE /:pkg/-/:file/-rev/:rev`.
 */
export function tarballRoutes(
  packuments: PackumentRepository,
  tarballs: TarballStore,
  access: AccessPolicy,
  upstream: UpstreamProxy | undefined,
  direct: DirectReads | undefined,
  policy: SupplyChainPolicy,
): Route[] {
  return [
    packageRoute('GET', '/:pkg/-/:file', async (req, ctx, { pkg: name, file }) => {
      await access.assertRead(ctx, name, () => packuments.read(name));
      const version = versionFromTarballFileName(file, name);
      let packument = await packuments.read(name);
      if (packument === undefined && upstream !== undefined) {
        const rules = await policy.rulesFor(name, 'upstream');
        return sendUpstreamTarball(upstream, req, name, version, file, direct, rules);
      }
      // Another process may have published it after this one's copy was last checked.
      if (packument !== undefined && !Object.hasOwn(packument.versions, version)) {
        packument = await packuments.read(name, { latest: true });
      }
      const manifest =
        packument !== undefined && Object.hasOwn(packument.versions, version)
          ? packument.versions[version]
          : undefined;
      if (manifest === undefined) throw new NotFoundError(Messages.noSuchTarball(file));
      (await policy.rulesFor(name, 'local'))?.assertServed(version, packument?.time);
      const { shasum } = manifest.dist;
      const headers = tarballHeaders(`"${shasum}"`);
      if (isNotModified(req.headers, headers[Header.ETAG])) return empty(304, headers);
      if (req.method === 'HEAD') {
        const info = await tarballs.head(name, version, shasum);
        if (info === undefined) throw new NotFoundError(Messages.noSuchTarball(file));
        return empty(200, { ...headers, [Header.CONTENT_LENGTH]: String(info.size) });
      }
      // The packument names this version, and its bytes were stored before it did.
      if (direct !== undefined) return direct.tarball(name, version, shasum);
      const object = await tarballs.open(name, version, shasum);
      if (object === undefined) throw new NotFoundError(Messages.noSuchTarball(file));
      headers[Header.CONTENT_LENGTH] = String(object.size);
      return { status: 200, headers, body: object.body };
    }),
    packageRoute('DELETE', '/:pkg/-/:file/-rev/:rev', async (_req, ctx, { pkg: name, file, rev }) => {
      const packument = await packuments.read(name);
      access.assert(ctx, 'unpublish', name, packument);
      const version = versionFromTarballFileName(file, name);
      if (packument === undefined) throw new NotFoundError(Messages.noSuchPackage);
      assertRevision(packument, rev);
      // npm sends this after the PUT that unpublished the version; a live version keeps its bytes.
      if (Object.hasOwn(packument.versions, version)) {
        throw new BadRequestError(Messages.tarballStillPublished(file), { code: 'EBADCHANGE' });
      }
      if (!Object.hasOwn(packument.time, version)) throw new NotFoundError(Messages.noSuchTarball(file));
      await removeTarballs(tarballs, name, [version], ctx.logger);
      return json(200, { ok: Messages.tarballRemoved });
    }),
  ];
}
