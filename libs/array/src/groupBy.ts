/**
 * Groups items by a property key, keeping input order inside each group. The result has no
 * prototype, so a key such as `__proto__` or `constructor` taken from user data is an ordinary
 * group rather than a prototype write. With a union of literal keys only the keys seen exist.
 */
export function groupBy<T, K extends PropertyKey>(
  items: Iterable<T>,
  key: (item: T, index: number) => K,
): Record<K, T[]> {
  const groups = Object.create(null) as Record<K, T[]>;
  let index = 0;
  for (const item of items) {
    const k = key(item, index++);
    const group = groups[k];
    if (group) group.push(item);
    else groups[k] = [item];
  }
  return groups;
}
