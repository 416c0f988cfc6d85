import { BadRequestError, isAppError, PayloadTooLargeError } from '@myorg/error';
import { JsonBoundError, MAX_JSON_DEPTH, safeJsonParse } from '@myorg/utilities';
import type { HttpRequest } from './HttpRequest.ts';
import { assertDeclaredLength, limitBody } from './limitBody.ts';
import { BodyMessages } from './messages.ts';

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
    throw new BadRequestError(BodyMessages.unreadable, { cause: error });
  }
  const [only] = chunks;
  // A single chunk is the common case for small JSON: view it instead of copying.
  if (chunks.length === 1 && only !== undefined)
    return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  return Buffer.concat(chunks, length);
}

/** Reads and parses a JSON body (see `parseJsonBody`). */
export async function readJson<T = unknown>(req: HttpRequest, maxBytes?: number): Promise<T> {
  return parseJsonBody<T>(await readBody(req, maxBytes));
}

/**
 * The one parse of every JSON request body: a 400 saying what is wrong when it is empty, not JSON,
 * or nests deeper than `MAX_JSON_DEPTH` (checked before parsing, so no code ever walks a deeper
 * value); with `maxMembers`, a 413 for more object members than that (also checked first, as the
 * parse itself costs the main thread about a microsecond per member). `__proto__` keys are
 * dropped. The parser's message is kept without the excerpt of the body it quotes, which may be a
 * password.
 */
export function parseJsonBody<T = unknown>(bytes: Uint8Array, maxMembers?: number): T {
  if (bytes.byteLength === 0) throw new BadRequestError(BodyMessages.empty);
  const bounds =
    maxMembers === undefined ? { maxDepth: MAX_JSON_DEPTH } : { maxDepth: MAX_JSON_DEPTH, maxMembers };
  const parsed = safeJsonParse<T>(bytes, { bounds });
  if (parsed.ok) return parsed.value;
  const { error } = parsed;
  if (!(error instanceof JsonBoundError))
    throw new BadRequestError(BodyMessages.notJson(withoutExcerpt(error.message)), { cause: error });
  const { bound, limit } = error.exceeded;
  if (bound === 'maxDepth') throw new BadRequestError(BodyMessages.tooDeep, { code: 'EJSONDEPTH' });
  throw new PayloadTooLargeError(BodyMessages.tooManyMembers(limit));
}

/** `Unexpected token 'p', ..."ssword": pw}" is not valid JSON` → `Unexpected token 'p'`. */
function withoutExcerpt(message: string): string {
  return message.replace(/, .* is not valid JSON$/s, '');
}
