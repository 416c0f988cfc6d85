const units: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

const sizePattern = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/;

/**
 * A byte count from `1048576`, `512kb`, `100mb` or `1.5 GB` (binary units, case-insensitive), or
 * undefined when the text is not such a size.
 */
export function parseByteSize(text: string): number | undefined {
  const match = sizePattern.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const multiplier = units[match[2]!];
  if (multiplier === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * multiplier);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}
