import { readJson } from '@myorg/middleware';
import { json } from '@myorg/response';
import { isPlainObject } from '@myorg/utilities';
import { requireWriter } from '../auth/requirePrincipal.ts';
import { type ChangeDependencies, changePackage } from '../changes/changePackage.ts';
import { type Route, route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import { type PublishDependencies, publishPackage } from '../publish/publishPackage.ts';

/**
 * A body with `_attachments` is a publish (checked as one, so a broken publish hears what is wrong
 * with it); without, it is a packument sent back to deprecate versions.
 */
function isPublish(body: unknown): boolean {
  return !isPlainObject(body) || Object.hasOwn(body, '_attachments');
}

/** `PUT /:pkg`: `npm publish`, and `npm deprecate` (which sends the packument back here). */
export function publishRoutes(dependencies: PublishDependencies, changes: ChangeDependencies): Route[] {
  return [
    route('PUT', '/:pkg', async (req, ctx, { pkg: name }) => {
      const principal = requireWriter(ctx);
      const body = await readJson(req);
      if (isPublish(body)) {
        // npm prints publishers as `name <email>`; an empty address keeps it from printing "<undefined>".
        const publisher = { name: principal.name, email: principal.email ?? '' };
        const stored = await publishPackage(dependencies, name, body, publisher, ctx.logger);
        return json(201, { ok: Messages.created, success: true, id: name, rev: stored._rev });
      }
      const stored = await changePackage(changes, name, body, undefined, principal.name, ctx.logger);
      return json(200, { ok: Messages.updated, id: name, rev: stored._rev });
    }),
  ];
}
