/** The distinct items (SameValueZero, as `Set` compares), first occurrence kept, in input order. */
export function uniq<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
