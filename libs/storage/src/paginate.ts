import { assertValidPrefix } from './assertValidKey.ts';
import { compareKeys } from './compareKeys.ts';
import type { ListOptions, ListPage, ObjectInfo } from './ObjectStorage.ts';
import { invalidOption } from './storageErrors.ts';

/** Where a scan starts: the first key greater than `key`, or equal to it when `inclusive`. */
export interface KeyBound {
  key: string;
  inclusive: boolean;
}

/** Yields objects in ascending key order, starting at `from`. It may stop being read at any point. */
export type KeyScan = (from: KeyBound) => AsyncIterable<ObjectInfo>;

const MAX_PAGE = 1000;

export function isInBound(key: string, from: KeyBound): boolean {
  const order = compareKeys(key, from.key);
  return order > 0 || (order === 0 && from.inclusive);
}

/** The first key after every key that starts with `prefix` (which ends with `/`, the byte before `0`). */
export function pastPrefix(prefix: string): KeyBound {
  return { key: `${prefix.slice(0, -1)}0`, inclusive: true };
}

function startBound(prefix: string, cursor: string | undefined): KeyBound {
  if (cursor === undefined || compareKeys(cursor, prefix) < 0) return { key: prefix, inclusive: true };
  // Keys never end with '/', so a cursor that does is a common prefix returned last: skip its whole group.
  return cursor.endsWith('/') ? pastPrefix(cursor) : { key: cursor, inclusive: false };
}

function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw invalidOption(`list limit must be a positive integer, not ${limit}`);
  return Math.min(limit, MAX_PAGE);
}

/** The list options checked, with their defaults: what every backend accepts, it accepts the same way. */
export function checkListOptions(options: ListOptions): {
  prefix: string;
  delimiter: '/' | undefined;
  cursor: string | undefined;
  limit: number;
} {
  const { prefix = '', delimiter, cursor } = options;
  assertValidPrefix(prefix);
  if (delimiter !== undefined && delimiter !== '/')
    throw invalidOption(`list delimiter must be "/", not "${delimiter}"`);
  if (cursor !== undefined && typeof cursor !== 'string') throw invalidOption('list cursor must be a string');
  return { prefix, delimiter, cursor, limit: pageLimit(options.limit) };
}

/**
 * One page of a listing built on an ordered scan, with S3's semantics for prefix, delimiter and
 * page size. The cursor is the last key or common prefix returned. After each common prefix the
 * scan restarts past it, so a backend never walks through the folders it only names.
 */
export async function paginate(options: ListOptions, scan: KeyScan): Promise<ListPage> {
  const { prefix, delimiter, cursor, limit } = checkListOptions(options);
  const objects: ObjectInfo[] = [];
  const prefixes: string[] = [];
  let from = startBound(prefix, cursor);
  let last: string | undefined;
  let truncated = false;
  scanning: for (;;) {
    for await (const info of scan(from)) {
      if (!info.key.startsWith(prefix)) break scanning;
      if (objects.length + prefixes.length === limit) {
        truncated = true;
        break scanning;
      }
      const slash = delimiter === undefined ? -1 : info.key.indexOf(delimiter, prefix.length);
      if (slash === -1) {
        objects.push(info);
        last = info.key;
        continue;
      }
      last = info.key.slice(0, slash + 1);
      prefixes.push(last);
      from = pastPrefix(last);
      continue scanning;
    }
    break;
  }
  return truncated && last !== undefined ? { objects, prefixes, cursor: last } : { objects, prefixes };
}
