/** UTF-16 code units of the surrogate range sort before U+E000..U+FFFF, but the code points they encode sort after. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/**
 * Orders keys by their UTF-8 bytes, the order S3 lists in. Plain `<` compares UTF-16 code units,
 * which disagrees for characters above U+FFFF against U+E000..U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}
