import { readJson } from '@myorg/middleware';
import { json } from '@myorg/response';
import { changeAction } from '../changes/applyPackageChange.ts';
import {
  type ChangeDependencies,
  changePackage,
  refuseWriteEarly,
  unpublishWholePackage,
} from '../changes/changePackage.ts';
import { packageRoute, type Route } from '../http/types.ts';
import { Messages } from '../messages.ts';

/**
 * Revision-checked changes: `PUT /:pkg/-rev/:rev` (deprecate, or unpublish one version, told apart
 * by what the body changes) and `DELETE /:pkg/-rev/:rev` (unpublish the package).
 */
export function changeRoutes(dependencies: ChangeDependencies): Route[] {
  return [
    packageRoute('PUT', '/:pkg/-rev/:rev', async (req, ctx, { pkg, rev }) => {
      // A caller who may change nothing is refused before the change is applied; what the body asks
      // for is decided, and logged, once it is read.
      const current = await dependencies.packuments.read(pkg);
      await refuseWriteEarly(dependencies.access, ctx, pkg, current, async () =>
        changeAction(current, await readJson(req), { allowRemoval: true }),
      );
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
