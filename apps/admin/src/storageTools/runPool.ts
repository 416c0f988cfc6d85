/**
 * Runs `work` on each item with at most `concurrency` running at once, pulling items lazily (a
 * listing of millions is never held). Stops taking new items once `signal` aborts, and waits for
 * those running. The first error of `work` stops it the same way and is rethrown at the end.
 */
export async function runPool<T>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    if (signal?.aborted || failure !== undefined) break;
    const task: Promise<void> = work(item).then(
      () => {
        running.delete(task);
      },
      (error: unknown) => {
        running.delete(task);
        failure ??= { error };
      },
    );
    running.add(task);
    if (running.size >= concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure.error;
}
