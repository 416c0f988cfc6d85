/**
 * Splits items into those that pass `predicate` and those that do not, both in input order. With a
 * type guard the halves are narrowed: `partition(values, isString)` gives `[string[], number[]]`.
 */
export function partition<T, S extends T>(
  items: Iterable<T>,
  predicate: (item: T, index: number) => item is S,
): [S[], Exclude<T, S>[]];
export function partition<T>(items: Iterable<T>, predicate: (item: T, index: number) => boolean): [T[], T[]];
export function partition<T>(items: Iterable<T>, predicate: (item: T, index: number) => boolean): [T[], T[]] {
  const pass: T[] = [];
  const fail: T[] = [];
  let index = 0;
  for (const item of items) {
    (predicate(item, index++) ? pass : fail).push(item);
  }
  return [pass, fail];
}
