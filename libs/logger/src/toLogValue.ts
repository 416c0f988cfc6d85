import { isAppError, serializeError } from '@myorg/error';
import { REDACTED, redactText, type SecretKeyTest } from './redact.ts';
import { setOwn } from './setOwn.ts';

/** Deeper structures are cut off: a log line is no place for a whole packument. */
const maxDepth = 8;

/**
 * A copy of `value` that `JSON.stringify` can always write and that holds no secret: secret keys
 * and credentials in text are redacted, errors become plain objects, cycles become `[Circular]`,
 * bigints become strings, and binary data is summarised by size.
 */
export function toLogValue(value: unknown, isSecretKey: SecretKeyTest): unknown {
  return visit(value, isSecretKey, new Set(), 0);
}

function visit(value: unknown, isSecretKey: SecretKeyTest, ancestors: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return redactText(value);
    case 'bigint':
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`;
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= maxDepth) return '[Truncated]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return `[${value.constructor.name} ${value.byteLength} bytes]`;
  }
  ancestors.add(value);
  try {
    const next = (item: unknown) => visit(item, isSecretKey, ancestors, depth + 1);
    if (value instanceof Error) return next(errorToObject(value));
    if (Array.isArray(value)) return value.map(next);
    if (value instanceof Set) return [...value].map(next);
    const { toJSON } = value as { toJSON?: unknown };
    if (typeof toJSON === 'function') return next(toJSON.call(value));
    const entries: Array<[string, unknown]> =
      value instanceof Map
        ? [...value].map(([key, item]) => [String(key), item])
        : Object.keys(value).map((key) => [key, readProperty(value, key)]);
    return entriesToObject(entries, isSecretKey, next);
  } finally {
    ancestors.delete(value);
  }
}

function entriesToObject(
  entries: ReadonlyArray<readonly [string, unknown]>,
  isSecretKey: SecretKeyTest,
  next: (item: unknown) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    // An absent secret stays absent, so the log still tells "not sent" from "sent".
    setOwn(out, key, isSecretKey(key) && item !== undefined ? REDACTED : next(item));
  }
  return out;
}

/**
 * serializeError gives name, message, code, status, stack and causes. Other errors (Node system
 * errors, AWS SDK errors) keep their own fields too: `syscall`, `$metadata` and the like.
 */
function errorToObject(error: Error): Record<string, unknown> {
  const out = serializeError(error);
  if (isAppError(error)) return out;
  for (const key of Object.keys(error)) {
    if (!(key in out)) out[key] = readProperty(error, key);
  }
  return out;
}

/** A getter that throws must not take the log line down with it. */
function readProperty(source: object, key: string): unknown {
  try {
    return (source as Record<string, unknown>)[key];
  } catch {
    return '[Unreadable]';
  }
}
