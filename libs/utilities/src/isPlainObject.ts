/**
 * True for `{}`-style objects (including `Object.create(null)` and objects from another realm), false
 * for arrays, class instances, Dates, Maps and null: the values a JSON walker may descend into.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
