/**
 * True when `value` survives `encodeURIComponent` unchanged, so it can sit in a URL path
 * segment as it is. Lone surrogates make `encodeURIComponent` throw; they are not URL-safe either.
 */
export function isUrlSafe(value: string): boolean {
  try {
    return encodeURIComponent(value) === value;
  } catch {
    return false;
  }
}
