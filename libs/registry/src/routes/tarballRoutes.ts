import { Header } from '@myorg/constants';
import { BadRequestError, NotFoundError } from '@myorg/error';
import { empty, isNotModified, json, stream } from '@myorg/response';
import { versionFromTarballFileName } from '@myorg/validation';
import { requireWriter } from '../auth/requirePrincipal.ts';
import { assertRevision, removeTarballs } from '../changes/changePackage.ts';
import { tarballHeaders } from '../http/tarballHeaders.ts';
import type { Route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { assertMaintainer } from '../packument/maintainers.ts';
import type { RegistryServices } from '../RegistryServices.ts';
import { sendUpstreamTarball } from '../upstream/proxiedResponses.ts';

/** `GET /:pkg/-/:file` (streamed, with HEAD and ETag) and `DELETE /:pkg/-/:file/-rev/:rev`. */
export function tarballRoutes(services: RegistryServices): Route[] {
  return [
    {
      method: 'GET',
      path: '/:pkg/-/:file',
      handler: async (req, _ctx, { pkg, file }) => {
        const name = pkg!;
        const version = versionFromTarballFileName(file!, name);
        const packument = await services.packuments.read(name);
        if (packument === undefined && services.upstream !== undefined) {
          return sendUpstreamTarball(services.upstream, req, name, version, file!);
        }
        const manifest =
          packument !== undefined && Object.hasOwn(packument.versions, version)
            ? packument.versions[version]
            : undefined;
        if (manifest === undefined) throw new NotFoundError(Messages.noSuchTarball(file!));
        const { shasum } = manifest.dist;
        const headers = tarballHeaders(`"${shasum}"`);
        if (isNotModified(req.headers, headers[Header.ETAG])) return empty(304, headers);
        if (req.method === 'HEAD') {
          const info = await services.tarballs.head(name, version, shasum);
          if (info === undefined) throw new NotFoundError(Messages.noSuchTarball(file!));
          return empty(200, { ...headers, [Header.CONTENT_LENGTH]: String(info.size) });
        }
        const object = await services.tarballs.open(name, version, shasum);
        if (object === undefined) throw new NotFoundError(Messages.noSuchTarball(file!));
        return stream(200, object.body, { ...headers, [Header.CONTENT_LENGTH]: String(object.size) });
      },
    },
    {
      method: 'DELETE',
      path: '/:pkg/-/:file/-rev/:rev',
      handler: async (_req, ctx, { pkg, file, rev }) => {
        const principal = requireWriter(ctx);
        const name = pkg!;
        const version = versionFromTarballFileName(file!, name);
        const packument = await services.packuments.read(name);
        if (packument === undefined) throw new NotFoundError(Messages.noSuchPackage);
        assertMaintainer(packument, principal.name);
        assertRevision(packument, rev!);
        // npm sends this after the PUT that unpublished the version; a live version keeps its bytes.
        if (Object.hasOwn(packument.versions, version)) {
          throw new BadRequestError(Messages.tarballStillPublished(file!), { code: 'EBADCHANGE' });
        }
        if (!Object.hasOwn(packument.time, version)) throw new NotFoundError(Messages.noSuchTarball(file!));
        await removeTarballs(services, name, [version], ctx.logger);
        return json(200, { ok: Messages.tarballRemoved });
      },
    },
  ];
}
