import { isPlainObject } from './isPlainObject.ts';
import { jsonTooDeepMessage, nestsDeeperThan } from './jsonDepth.ts';

export type SafeJsonResult<T> = { ok: true; value: T } | { ok: false; error: Error };

export interface SafeJsonOptions {
  /** Refuse (with a `JsonTooDeepError`) text nesting objects and arrays deeper than this. */
  maxDepth?: number;
}

/** The text nests deeper than the `maxDepth` it was parsed with; `message` reads `the document nests deeper than 64 levels`. */
export class JsonTooDeepError extends RangeError {
  readonly maxDepth: number;

  constructor(maxDepth: number) {
    super(jsonTooDeepMessage('the document', maxDepth));
    this.name = 'JsonTooDeepError';
    this.maxDepth = maxDepth;
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
 * ignored. With `maxDepth`, deeper text is refused before it is parsed. The caller supplies `T`;
 * nothing here checks the shape.
 */
export function safeJsonParse<T = unknown>(
  text: string | Uint8Array,
  options: SafeJsonOptions = {},
): SafeJsonResult<T> {
  try {
    const source = typeof text === 'string' ? text.replace(/^\uFEFF/, '') : utf8.decode(text);
    const { maxDepth } = options;
    if (maxDepth !== undefined && nestsDeeperThan(source, maxDepth)) {
      return { ok: false, error: new JsonTooDeepError(maxDepth) };
    }
    const value: T = mayPollute.test(source) ? JSON.parse(source, dropPollutingKeys) : JSON.parse(source);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}
