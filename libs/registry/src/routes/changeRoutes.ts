import { readJson } from '@myorg/middleware';
import { json } from '@myorg/response';
import { requireWriter } from '../auth/requirePrincipal.ts';
import { changePackage, unpublishWholePackage } from '../changes/changePackage.ts';
import type { Route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { RegistryServices } from '../RegistryServices.ts';

/**
 * Revision-checked changes: `PUT /:pkg/-rev/:rev` (deprecate, or unpublish one version, told apart
 * by what the body changes) and `DELETE /:pkg/-rev/:rev` (unpublish the package).
 */
export function changeRoutes(services: RegistryServices): Route[] {
  return [
    {
      method: 'PUT',
      path: '/:pkg/-rev/:rev',
      handler: async (req, ctx, { pkg, rev }) => {
        const principal = requireWriter(ctx);
        const body = await readJson(req);
        const stored = await changePackage(services, pkg!, body, rev!, principal.name, ctx.logger);
        return json(200, { ok: Messages.updated, id: pkg, rev: stored._rev });
      },
    },
    {
      method: 'DELETE',
      path: '/:pkg/-rev/:rev',
      handler: async (_req, ctx, { pkg, rev }) => {
        const principal = requireWriter(ctx);
        await unpublishWholePackage(services, pkg!, rev!, principal.name, ctx.logger);
        return json(200, { ok: Messages.removed, id: pkg });
      },
    },
  ];
}
