import { Header } from '@myorg/constants';
import { PayloadTooLargeError } from '@myorg/error';

/** What a client is told about a body over `limit` bytes. */
export type TooLargeMessage = (limit: number) => string;

const defaultMessage: TooLargeMessage = (limit) => `request body exceeds the limit of ${limit} bytes`;

function tooLarge(maxBytes: number, message: TooLargeMessage): PayloadTooLargeError {
  return new PayloadTooLargeError(message(maxBytes), { details: { limit: maxBytes } });
}

/** Rejects up front a request whose declared `content-length` is over the limit. */
export function assertDeclaredLength(
  headers: Readonly<Record<string, string | undefined>>,
  maxBytes: number,
  message: TooLargeMessage = defaultMessage,
): void {
  const declared = headers[Header.CONTENT_LENGTH];
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge(maxBytes, message);
}

/**
 * Passes `body` through, throwing a 413 as soon as more than `maxBytes` have arrived, whatever the
 * headers claimed (chunked uploads declare no length).
 */
export async function* limitBody(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  message: TooLargeMessage = defaultMessage,
): AsyncGenerator<Uint8Array> {
  const source = body[Symbol.asyncIterator]();
  let received = 0;
  let yielded = false;
  try {
    for (;;) {
      const { done, value } = await source.next();
      if (done) return;
      received += value.byteLength;
      // The source is deliberately left open here: closing a Node request that has not finished
      // arriving destroys its socket, and with it the 413 the client should get.
      if (received > maxBytes) throw tooLarge(maxBytes, message);
      yielded = true;
      yield value;
      yielded = false;
    }
  } finally {
    // Only a consumer that stops early (return at a yield) still owns an open source to close.
    if (yielded) await source.return?.();
  }
}
