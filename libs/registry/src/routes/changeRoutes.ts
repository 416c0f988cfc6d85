import { readJson } from '@myorg/middleware';
import { json } from '@myorg/response';
import { requireWriter } from '../auth/requirePrincipal.ts';
import { type ChangeDependencies, changePackage, unpublishWholePackage } from '../changes/changePackage.ts';
import { type Route, route } from '../http/types.ts';
import { Messages } from '../messages.ts';

/**
 * Revision-checked changes: `PUT /:pkg/-rev/:rev` (deprecate, or unpublish one version, told apart
 * by what the body changes) and `DELETE /:pkg/-rev/:rev` (unpublish the package).
 */
export function changeRoutes(dependencies: ChangeDependencies): Route[] {
  return [
    route('PUT', '/:pkg/-rev/:rev', async (req, ctx, { pkg, rev }) => {
      const principal = requireWriter(ctx);
      const body = await readJson(req);
      const stored = await changePackage(dependencies, pkg, body, rev, principal.name, ctx.logger);
      return json(200, { ok: Messages.updated, id: pkg, rev: stored._rev });
    }),
    route('DELETE', '/:pkg/-rev/:rev', async (_req, ctx, { pkg, rev }) => {
      const principal = requireWriter(ctx);
      await unpublishWholePackage(dependencies, pkg, rev, principal.name, ctx.logger);
      return json(200, { ok: Messages.removed, id: pkg });
    }),
  ];
}
