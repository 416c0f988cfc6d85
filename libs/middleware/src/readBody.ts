import { BadRequestError, isAppError } from '@myorg/error';
import type { HttpRequest } from './HttpRequest.ts';
import { assertDeclaredLength, limitBody } from './limitBody.ts';

/**
 * Reads the whole body into one Buffer, optionally capped at `maxBytes` (413 beyond it). A body
 * that breaks off (client abort, bad chunking) is the client's fault: 400, not 500.
 */
export async function readBody(req: HttpRequest, maxBytes?: number): Promise<Buffer> {
  if (maxBytes !== undefined) assertDeclaredLength(req.headers, maxBytes);
  if (req.body === undefined) return Buffer.alloc(0);
  const body = maxBytes === undefined ? req.body : limitBody(req.body, maxBytes);
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      length += chunk.byteLength;
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new BadRequestError('the request body could not be read', { cause: error });
  }
  const [only] = chunks;
  // A single chunk is the common case for small JSON: view it instead of copying.
  if (chunks.length === 1 && only !== undefined)
    return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  return Buffer.concat(chunks, length);
}

/** Reads and parses a JSON body; malformed JSON is a 400 saying what is wrong. */
export async function readJson<T = unknown>(req: HttpRequest, maxBytes?: number): Promise<T> {
  const bytes = await readBody(req, maxBytes);
  if (bytes.byteLength === 0)
    throw new BadRequestError('the request body is empty; a JSON document was expected');
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (error) {
    throw new BadRequestError(`the request body is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
