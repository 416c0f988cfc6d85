import { BadRequestError } from '@myorg/error';
import { isPlainObject } from '@myorg/utilities';
import { Messages } from '../messages.ts';

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The tarball bytes of a publish attachment (`{ content_type, data, length }`), refused unless the
 * data is strict base64, its declared length (when given) matches, and it is gzip: npm only ever
 * publishes a gzipped tar, and anything else would break installs later.
 */
export function decodeTarball(attachment: unknown): Buffer {
  if (!isPlainObject(attachment) || typeof attachment.data !== 'string') {
    throw new BadRequestError(Messages.attachmentMustBeObject, { code: 'EBADATTACHMENT' });
  }
  const { data, length } = attachment;
  if (data.length % 4 !== 0 || !base64Pattern.test(data)) {
    throw new BadRequestError(Messages.attachmentNotBase64, { code: 'EBADATTACHMENT' });
  }
  const bytes = Buffer.from(data, 'base64');
  if (bytes.byteLength === 0) throw new BadRequestError(Messages.attachmentEmpty, { code: 'EBADATTACHMENT' });
  if (length !== undefined && length !== bytes.byteLength) {
    throw new BadRequestError(Messages.attachmentLength(length, bytes.byteLength), {
      code: 'EBADATTACHMENT',
    });
  }
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new BadRequestError(Messages.attachmentNotGzip, { code: 'EBADATTACHMENT' });
  }
  return bytes;
}
