/** Releases a stream that will not be sent: a Readable is destroyed, an iterator told to return. */
export function releaseBody(body: AsyncIterable<Uint8Array>): void {
  const destroyable = body as Partial<{ destroy(): void }>;
  if (typeof destroyable.destroy === 'function') {
    destroyable.destroy();
    return;
  }
  body[Symbol.asyncIterator]()
    .return?.()
    .catch(() => undefined);
}
