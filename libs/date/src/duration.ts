const unitMs = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type Unit = keyof typeof unitMs;
const units = Object.keys(unitMs) as Unit[];

const amount = '(\\d+(?:\\.\\d+)?)';
// Units largest first, each at most once, optionally space-separated: `1h30m`, `1d 12h`, `1m30s500ms`.
const durationPattern = new RegExp(`^${units.map((unit) => `(?:${amount}${unit})?`).join('\\s*')}$`);
const plainNumber = /^\d+(?:\.\d+)?$/;

const expected = 'expected milliseconds or units such as 500ms, 90s, 15m, 12h, 7d or 1h30m';

/**
 * A duration in whole milliseconds, from config values such as `"500ms"`, `"900s"`, `"15m"`, `"12h"`,
 * `"7d"` or `"1h30m"`. A number, or a string holding only a number, is taken as milliseconds. Units
 * are lower-case, largest first and each used once, so a typo such as `"30m1h"` or `"15M"` is an error
 * rather than a surprise. Fractions (`"1.5h"`) are allowed; the result is rounded to whole ms.
 * Throws a TypeError for a value that is neither string nor number, and a RangeError naming the
 * input for anything negative, non-finite or unreadable.
 */
export function parseDuration(input: string | number): number {
  const ms = Math.round(typeof input === 'number' ? checkMilliseconds(input) : sumOfUnits(input));
  if (!Number.isSafeInteger(ms)) throw new RangeError(`invalid duration ${JSON.stringify(input)}: too large`);
  return ms;
}

function checkMilliseconds(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`invalid duration ${ms}: milliseconds must be finite and not negative`);
  }
  return ms;
}

function sumOfUnits(input: string): number {
  if (typeof input !== 'string') {
    throw new TypeError(
      `invalid duration ${String(input)}: expected a string or a number, got ${typeof input}`,
    );
  }
  const text = input.trim();
  if (plainNumber.test(text)) return Number(text);
  const match = text === '' ? null : durationPattern.exec(text);
  if (!match) throw new RangeError(`invalid duration ${JSON.stringify(input)}: ${expected}`);
  return units.reduce((sum, unit, i) => sum + Number(match[i + 1] ?? 0) * unitMs[unit], 0);
}

/**
 * A duration in the compact form `parseDuration` reads back: `5400000` → `"1h30m"`, `1500` →
 * `"1s500ms"`, `0` → `"0ms"`. Fractions of a millisecond are rounded; a negative duration gets a
 * leading `-` (handy for "expired 5m ago" output).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`cannot format duration ${ms}: it must be finite`);
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0ms';
  let out = '';
  for (const unit of units) {
    const count = Math.floor(rest / unitMs[unit]);
    if (count > 0) out += `${count}${unit}`;
    rest -= count * unitMs[unit];
  }
  return ms < 0 ? `-${out}` : out;
}
