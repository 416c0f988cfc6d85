import { BadRequestError, ForbiddenError, NotFoundError, PayloadTooLargeError } from '@myorg/error';
import { isPlainObject } from '@myorg/utilities';
import { Messages } from '../messages.ts';
import type { TarballStore } from '../storage/TarballStore.ts';
import { isProvenanceFileName } from './provenanceAttachment.ts';
import { type StagedTarball, stageTarball } from './StagedTarball.ts';

/** Ids are the registry's own `randomUUID()`s: nothing else may reach a storage key. */
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * For a publish whose one attachment names a direct upload (`{ "upload": "<id>", ... }` instead of
 * base64 `data`): claims the upload for `owner` (once, and only the user it was offered to), then
 * copies its bytes into a staged tarball, hashing them on the way, and puts that in the
 * attachment's `data`, so `publishPackage` checks it exactly as an inline tarball. The size stored
 * for the object is checked before a byte is read; the client's `length` is only compared later.
 * Copying first means a second PUT to the still valid URL cannot change what was checked. The
 * uploaded object is removed whatever happens; the staged copy is the caller's to discard.
 * Answers undefined for any other body, which `parsePublishBody` judges.
 */
export async function stageUpload(
  tarballs: TarballStore,
  body: unknown,
  owner: string,
  maxBytes: number,
): Promise<StagedTarball | undefined> {
  const attachments = isPlainObject(body) ? body._attachments : undefined;
  // A provenance bundle beside it is JSON text in the body, not an upload.
  const entries = isPlainObject(attachments)
    ? Object.entries(attachments).flatMap(([file, value]) => (isProvenanceFileName(file) ? [] : [value]))
    : [];
  const [attachment] = entries;
  if (entries.length !== 1 || !isPlainObject(attachment) || attachment.upload === undefined) return undefined;
  if (attachment.data !== undefined) throw refuse(Messages.uploadAndData);
  const id = attachment.upload;
  if (typeof id !== 'string' || !UPLOAD_ID.test(id)) throw refuse(Messages.uploadIdInvalid);

  const claim = await tarballs.claimUpload(id, owner);
  if (claim === 'foreign') throw new ForbiddenError(Messages.uploadForeign(id));
  if (claim === 'unknown') throw new NotFoundError(Messages.uploadUnknown(id));
  try {
    const object = await tarballs.openUpload(id);
    if (object === undefined) throw refuse(Messages.uploadMissing(id));
    if (object.size > maxBytes) {
      object.body.destroy();
      throw new PayloadTooLargeError(Messages.uploadTooLarge(object.size, maxBytes));
    }
    const staged = await stageTarball(tarballs, object.body);
    attachment.data = staged;
    return staged;
  } finally {
    // Unreferenced and never served: the sweep of old pending objects removes it if this fails.
    await tarballs.discardUpload(id).catch(() => undefined);
  }
}

function refuse(message: string): BadRequestError {
  return new BadRequestError(message, { code: 'EBADATTACHMENT' });
}
