import { REDACTED, redactText, type SecretKeyTest } from './redact.ts';
import { setOwn } from './setOwn.ts';
import type { LogFields } from './types.ts';

/**
 * The common record's fields (a plain object of strings, numbers, booleans and nulls, as a request
 * line has) made log-safe in one pass, without the general walk's bookkeeping. Answers undefined
 * for anything else (nested values, class instances, getters that throw), which then takes the
 * general path and comes out the same.
 */
export function flatFields(fields: object, isSecretKey: SecretKeyTest): LogFields | undefined {
  const prototype = Object.getPrototypeOf(fields);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const out: LogFields = {};
  try {
    for (const key of Object.keys(fields)) {
      let value = (fields as Record<string, unknown>)[key];
      switch (typeof value) {
        case 'string':
          value = redactText(value);
          break;
        case 'number':
        case 'boolean':
        case 'undefined':
          break;
        default:
          if (value !== null) return undefined;
      }
      setOwn(out, key, value !== undefined && isSecretKey(key) ? REDACTED : value);
    }
  } catch {
    return undefined;
  }
  return out;
}
