import type { Readable } from 'node:stream';
import type { AttemptDeadline } from './AttemptDeadline.ts';

/**
 * Hands a response body on chunk by chunk, each read under the attempt's deadline, so a download
 * that stalls fails instead of hanging, while a slow consumer (who is not reading) never trips it.
 * Read failures go through `mapError`; a consumer that stops early releases the connection.
 */
export async function* guardedBody(
  body: Readable,
  deadline: AttemptDeadline,
  mapError: (error: unknown) => unknown,
): AsyncGenerator<Uint8Array, void, undefined> {
  const chunks = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      deadline.restart();
      let next: IteratorResult<Uint8Array>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw mapError(error);
      } finally {
        deadline.clear();
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    deadline.clear();
    body.destroy();
  }
}
