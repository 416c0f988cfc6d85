import { readJson } from '@myorg/middleware';
import { json } from '@myorg/response';
import { type ChangeDependencies, changePackage, unpublishWholePackage } from '../changes/changePackage.ts';
import { packageRoute, type Route } from '../http/types.ts';
import { Messages } from '../messages.ts';

/**
 * Revision-checked changes: `PUT /:pkg/-rev/:rev` (deprecate, or unpublish one version, told apart
 * by what the body changes) and `DELETE /:pkg/-rev/:rev` (unpublish the package).
 */
export function changeRoutes(dependencies: ChangeDependencies): Route[] {
  return [
    packageRoute('PUT', '/:pkg/-rev/:rev', async (req, ctx, { pkg, rev }) => {
      // Refused before the body is read, as a publish would be (every change needs what a publish
      // needs); what the body asks for is decided, and logged, once it is read.
      dependencies.access.recheck(ctx, 'publish', pkg, await dependencies.packuments.read(pkg));
      const body = await readJson(req);
      const stored = await changePackage(dependencies, pkg, body, rev, ctx);
      return json(200, { ok: Messages.updated, id: pkg, rev: stored._rev });
    }),
    packageRoute('DELETE', '/:pkg/-rev/:rev', async (_req, ctx, { pkg, rev }) => {
      await unpublishWholePackage(dependencies, pkg, rev, ctx);
      return json(200, { ok: Messages.removed, id: pkg });
    }),
  ];
}
