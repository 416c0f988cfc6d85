import { BadRequestError } from '@myorg/error';
import { Messages } from '../messages.ts';

/** Base64 text so far: only its alphabet, with at most two `=` and those at the very end. */
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes of a publish attachment's base64 `data` as its text streams in, refused (400) unless
 * it is strict base64: the check and the decoding run on each piece, with the last incomplete
 * group of four characters carried over, so no piece is held longer than it takes to decode.
 */
export async function* decodeTarball(pieces: AsyncIterable<string>): AsyncGenerator<Buffer> {
  let carried = '';
  let padded = false;
  for await (const piece of pieces) {
    const text = carried + piece;
    if (padded || !base64Pattern.test(text)) throw notBase64();
    const whole = text.length - (text.length % 4);
    carried = text.slice(whole);
    // Padding that closed a group ends the data; one still in `carried` may yet be completed.
    padded = carried === '' && text.endsWith('=');
    if (whole > 0) yield Buffer.from(text.slice(0, whole), 'base64');
  }
  if (carried !== '') throw notBase64();
}

function notBase64(): BadRequestError {
  return new BadRequestError(Messages.attachmentNotBase64, { code: 'EBADATTACHMENT' });
}
