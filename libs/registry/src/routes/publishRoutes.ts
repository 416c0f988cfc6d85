import type { Logger } from '@myorg/logger';
import { json } from '@myorg/response';
import { isPlainObject } from '@myorg/utilities';
import type { AccessAction } from '../access/AccessPolicy.ts';
import { requirePrincipal } from '../auth/requirePrincipal.ts';
import { changeAction } from '../changes/applyPackageChange.ts';
import { type ChangeDependencies, changePackage, refuseWriteEarly } from '../changes/changePackage.ts';
import { readJsonStream } from '../http/readJsonStream.ts';
import { packageRoute, type Route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { Packument } from '../packument/types.ts';
import { type PublishDependencies, publishPackage } from '../publish/publishPackage.ts';
import { MAX_JSON_DEPTH, type PublishBodyLimits, receivePublishBody } from '../publish/receivePublishBody.ts';
import type { StagedTarball } from '../publish/StagedTarball.ts';
import { stageUpload } from '../publish/stageUpload.ts';

export interface PublishLimits extends PublishBodyLimits {
  /** Most bytes of a tarball uploaded directly to storage (`POST /-/myorg/v1/uploads`). */
  maxUploadBytes: number;
}

/**
 * A body with `_attachments` is a publish (checked as one, so a broken publish hears what is wrong
 * with it); without, it is a packument sent back to deprecate versions.
 */
function isPublish(body: unknown): boolean {
  return !isPlainObject(body) || Object.hasOwn(body, '_attachments');
}

/** Stops reading a body at its first attachment: by then it is known to be a publish. */
const stopAtAttachment = () => Promise.reject(new Error('a publish'));

/**
 * What a refused `PUT /:pkg` asked for, read without taking in a tarball: a publish is told by its
 * attachment, where reading stops; anything else is the change `changeAction` reads from it.
 */
async function writeAskedFor(
  body: AsyncIterable<Uint8Array> | undefined,
  current: Packument | undefined,
  { maxDocumentBytes }: PublishBodyLimits,
): Promise<AccessAction> {
  const value = await readJsonStream(body, {
    maxDepth: MAX_JSON_DEPTH,
    maxDocumentBytes,
    take: (path) => (path[0] === '_attachments' ? stopAtAttachment : undefined),
  });
  return isPublish(value) ? 'publish' : changeAction(current, value, { allowRemoval: false });
}

/**
 * `PUT /:pkg`: `npm publish`, and `npm deprecate` (which sends the packument back here). The body
 * streams in, its tarball straight to a pending object (or, for a publish naming a direct upload,
 * the upload is staged from storage), which is removed once the request is answered: by then the
 * publish has copied it to its final key, or failed.
 */
export function publishRoutes(
  dependencies: PublishDependencies,
  changes: ChangeDependencies,
  limits: PublishLimits,
  /** Runs once a publish is stored, before it is answered (Lambda freezes what runs after). */
  afterPublish?: (name: string, baseUrl: string) => Promise<void>,
): Route[] {
  return [
    packageRoute('PUT', '/:pkg', async (req, ctx, { pkg: name }) => {
      // Refused before the body streams in; what the body turns out to be is decided (and logged) below.
      const current = await dependencies.packuments.read(name);
      await refuseWriteEarly(dependencies.access, ctx, name, current, () =>
        writeAskedFor(req.body, current, limits),
      );
      const principal = requirePrincipal(ctx);
      const { body, staged } = await receivePublishBody(req.body, dependencies.tarballs, limits);
      let uploaded: StagedTarball | undefined;
      try {
        if (isPublish(body)) {
          uploaded = await stageUpload(dependencies.tarballs, body, principal.name, limits.maxUploadBytes);
          // npm prints publishers as `name <email>`; an empty address keeps it from printing "<undefined>".
          const publisher = { name: principal.name, email: principal.email ?? '' };
          const stored = await publishPackage(dependencies, name, body, publisher, ctx);
          // The publish stands: what follows only saves readers time, so its failure is logged.
          await afterPublish?.(name, ctx.baseUrl).catch((error: unknown) =>
            ctx.logger.warn('work after a publish failed', { name, error }),
          );
          return json(201, { ok: Messages.created, success: true, id: name, rev: stored._rev });
        }
        const stored = await changePackage(changes, name, body, undefined, ctx);
        return json(200, { ok: Messages.updated, id: name, rev: stored._rev });
      } finally {
        for (const tarball of [staged, uploaded]) {
          if (tarball !== undefined) await discard(dependencies, tarball.key, ctx.logger);
        }
      }
    }),
  ];
}

async function discard({ tarballs }: PublishDependencies, key: string, logger: Logger): Promise<void> {
  try {
    await tarballs.discardStaged(key);
  } catch (error) {
    // Unreferenced and never served: the sweep of old pending objects removes it.
    logger.warn('could not remove a staged tarball', { key, error });
  }
}
