import { describe, expect, it } from 'vitest';
import { parseHttpDate, toDate, toHttpDate, toIsoString } from '../src/index.ts';

// The example instant RFC 9110 uses for all three HTTP date forms.
const rfcExample = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('toIsoString and toDate', () => {
  it('formats dates and epoch milliseconds as npm stores them', () => {
    expect(toIsoString(new Date(rfcExample))).toBe('1994-11-06T08:49:37.000Z');
    expect(toIsoString(rfcExample + 5)).toBe('1994-11-06T08:49:37.005Z');
  });

  it('returns a copy, never the Date it was given', () => {
    // Prepare
    const original = new Date(rfcExample);

    // Act
    const copy = toDate(original);
    copy.setUTCFullYear(2000);

    // Assess
    expect(original.getTime()).toBe(rfcExample);
  });

  it('reads ISO strings with a zone', () => {
    expect(toDate('1994-11-06T08:49:37Z').getTime()).toBe(rfcExample);
  });

  it('throws a RangeError naming an invalid input', () => {
    expect(() => toIsoString(Number.NaN)).toThrow(RangeError);
    expect(() => toDate('yesterday-ish')).toThrow('invalid date: "yesterday-ish"');
    expect(() => toDate(new Date(Number.NaN))).toThrow('invalid date: Invalid Date');
  });
});

describe('toHttpDate', () => {
  it('formats in the RFC 1123 layout HTTP headers use', () => {
    expect(toHttpDate(new Date(rfcExample))).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });

  it('drops milliseconds', () => {
    expect(toHttpDate(rfcExample + 999)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });
});

describe('parseHttpDate', () => {
  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['asctime', 'Sun Nov  6 08:49:37 1994'],
    ['IMF-fixdate with surrounding whitespace', '  Sun, 06 Nov 1994 08:49:37 GMT '],
  ])('reads the %s form', (_form, text) => {
    expect(parseHttpDate(text)?.getTime()).toBe(rfcExample);
  });

  it('reads back what toHttpDate writes', () => {
    // Prepare
    const instant = Date.UTC(2031, 1, 28, 23, 59, 59);

    // Act
    const parsed = parseHttpDate(toHttpDate(instant));

    // Assess
    expect(parsed?.getTime()).toBe(instant);
  });

  it('reads a two-digit year far ahead as the previous century', () => {
    // Prepare: a year 60 ahead of now is more than 50 years in the future.
    const ahead = (new Date().getUTCFullYear() + 60) % 100;
    const yy = String(ahead).padStart(2, '0');

    // Act
    const parsed = parseHttpDate(`Monday, 01-Jan-${yy} 00:00:00 GMT`);

    // Assess
    expect(parsed?.getUTCFullYear()).toBe(new Date().getUTCFullYear() + 60 - 100);
  });

  it.each([
    ['a date Date.parse would guess at', '2024-05-01'],
    ['lower-case month', 'Sun, 06 nov 1994 08:49:37 GMT'],
    ['a zone other than GMT', 'Sun, 06 Nov 1994 08:49:37 PST'],
    ['an impossible day', 'Mon, 31 Feb 2025 10:00:00 GMT'],
    ['an impossible hour', 'Sun, 06 Nov 1994 24:00:00 GMT'],
    ['an empty string', ''],
  ])('rejects %s', (_case, text) => {
    expect(parseHttpDate(text)).toBeUndefined();
  });
});
