import { createDigester } from '@myorg/utilities';
import type { ExpectedDigest } from './expectedDigest.ts';

/**
 * Passes `body` through while hashing it, and fails after the last chunk unless the bytes have
 * the expected digest. Written to storage with `putStream`, a failure at the end means nothing is
 * stored: only verified bytes are ever committed.
 */
export async function* verifiedStream(
  body: AsyncIterable<Uint8Array>,
  expected: ExpectedDigest,
  mismatch: () => Error,
): AsyncGenerator<Uint8Array> {
  const digester = createDigester([expected.algorithm]);
  for await (const chunk of body) {
    digester.update(chunk);
    yield chunk;
  }
  if (digester.digest()[expected.algorithm] !== expected.value) throw mismatch();
}
