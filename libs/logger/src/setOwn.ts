/**
 * `target[key] = value` that also works for a key named `__proto__` (JSON.parse makes such keys
 * from request bodies), which plain assignment would turn into a prototype change and lose.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
