import { isPlainObject } from './isPlainObject.ts';
import { type ExceededJsonBound, exceededJsonBound, type JsonBounds } from './jsonBounds.ts';

export type SafeJsonResult<T> = { ok: true; value: T } | { ok: false; error: Error };

/** Text exceeding `bounds` is refused (with a `JsonBoundError`) before it is parsed. */
export interface SafeJsonOptions {
  bounds?: JsonBounds;
}

/** The text exceeds one of the bounds it was parsed with: `exceeded` says which. */
export class JsonBoundError extends RangeError {
  readonly exceeded: ExceededJsonBound;

  constructor(exceeded: ExceededJsonBound) {
    super(`the JSON text exceeds ${exceeded.bound} ${exceeded.limit}`);
    this.name = 'JsonBoundError';
    this.exceeded = exceeded;
  }
}

// Fatal: bytes that are not UTF-8 are a parse error, not replacement characters. A BOM is dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true });
// Text without these cannot spell a polluting key (`\u` covers escaped spellings such as `\u005f_proto__`),
// so it takes the much faster reviver-free path; packuments are often megabytes.
const mayPollute = /__proto__|constructor|\\u/;

/**
 * Drops the keys deep-merge style code turns into prototype writes: every `__proto__`, and
 * `prototype` under a `constructor` object.
 */
function dropPollutingKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (key === 'constructor' && isPlainObject(value) && Object.hasOwn(value, 'prototype')) {
    const { prototype: _dropped, ...rest } = value;
    return rest;
  }
  return value;
}

/**
 * Parses JSON text or UTF-8 bytes (a request body) without throwing, and without `__proto__` keys
 * (nor `constructor.prototype`), so the result is safe to merge into other objects. A leading BOM is
 * ignored. Text exceeding `bounds` is refused before it is parsed. The caller supplies `T`;
 * nothing here checks the shape.
 */
export function safeJsonParse<T = unknown>(
  text: string | Uint8Array,
  options: SafeJsonOptions = {},
): SafeJsonResult<T> {
  try {
    const source = typeof text === 'string' ? text.replace(/^\uFEFF/, '') : utf8.decode(text);
    const exceeded = options.bounds && exceededJsonBound(source, options.bounds);
    if (exceeded !== undefined) return { ok: false, error: new JsonBoundError(exceeded) };
    const value: T = mayPollute.test(source) ? JSON.parse(source, dropPollutingKeys) : JSON.parse(source);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}
