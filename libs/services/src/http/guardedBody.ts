import type { AttemptDeadline } from './AttemptDeadline.ts';

/**
 * Hands a response body on as a stream whose every read runs under the attempt's deadline, so a
 * download that stalls fails instead of hanging, while a slow consumer (who is not reading) never
 * trips it. Read failures go through `mapError`.
 */
export function guardedBody(
  body: ReadableStream<Uint8Array>,
  deadline: AttemptDeadline,
  mapError: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      deadline.restart();
      try {
        const chunk = await reader.read();
        if (chunk.done) controller.close();
        else controller.enqueue(chunk.value);
      } catch (error) {
        throw mapError(error);
      } finally {
        deadline.clear();
      }
    },
    cancel(reason) {
      deadline.clear();
      return reader.cancel(reason);
    },
  });
}
