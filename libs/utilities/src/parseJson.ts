import { BadRequestError } from '@myorg/error';
import { safeJsonParse } from './safeJsonParse.ts';

/**
 * `safeJsonParse` that throws a BadRequestError (400, code `EJSONPARSE`) reading
 * `malformed JSON in <what>: <reason>`, keeping the parser's error as `cause`. Name the source in
 * `what` (`'request body'`, `'package.json'`) so the client or operator knows which input is bad.
 */
export function parseJson<T = unknown>(text: string | Uint8Array, what = 'JSON'): T {
  const result = safeJsonParse<T>(text);
  if (result.ok) return result.value;
  throw new BadRequestError(`malformed JSON in ${what}: ${result.error.message}`, {
    code: 'EJSONPARSE',
    cause: result.error,
  });
}
