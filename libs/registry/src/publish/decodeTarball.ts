import { BadRequestError } from '@myorg/error';
import { Messages } from '../messages.ts';

/**
 * The bytes of a publish attachment's base64 `data` as its text streams in, refused (400) unless
 * it is strict base64: each piece's whole groups of four characters are decoded and must encode
 * back to exactly the same text (so no character outside the alphabet, no `=` but at the very end,
 * no stray bits), which costs a fraction of a regular expression over the same text. The last
 * incomplete group is carried over, so no piece is held longer than it takes to decode.
 */
export async function* decodeTarball(pieces: AsyncIterable<string>): AsyncGenerator<Buffer> {
  let carried = '';
  let padded = false;
  for await (const piece of pieces) {
    if (padded && piece !== '') throw notBase64();
    const text = carried + piece;
    const whole = text.length - (text.length % 4);
    carried = text.slice(whole);
    if (whole === 0) continue;
    const groups = text.slice(0, whole);
    const bytes = Buffer.from(groups, 'base64');
    if (bytes.toString('base64') !== groups) throw notBase64();
    // Padding closes the data: nothing may follow it.
    padded = groups.endsWith('=');
    yield bytes;
  }
  if (carried !== '') throw notBase64();
}

function notBase64(): BadRequestError {
  return new BadRequestError(Messages.attachmentNotBase64, { code: 'EBADATTACHMENT' });
}
