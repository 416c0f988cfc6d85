import { describe, expect, it } from 'vitest';
import { expiresAt, isExpired, secondsUntil } from '../src/index.ts';

const issued = new Date(Date.UTC(2025, 0, 1, 12, 0, 0));
const at = (ms: number) => new Date(issued.getTime() + ms);

describe('expiresAt', () => {
  it('adds a duration to the start', () => {
    expect(expiresAt(issued, '12h').toISOString()).toBe('2025-01-02T00:00:00.000Z');
    expect(expiresAt(issued, 1500).getTime()).toBe(issued.getTime() + 1500);
  });

  it('rejects an invalid duration', () => {
    expect(() => expiresAt(issued, '12 hours')).toThrow(RangeError);
  });
});

describe('isExpired', () => {
  it('counts the expiry moment itself as expired', () => {
    // Prepare
    const expiry = expiresAt(issued, '15m');

    // Act & Assess
    expect(isExpired(expiry, at(15 * 60_000 - 1))).toBe(false);
    expect(isExpired(expiry, at(15 * 60_000))).toBe(true);
  });

  it('accepts the expiry as an ISO string or epoch milliseconds', () => {
    expect(isExpired('2025-01-01T11:59:59.999Z', issued)).toBe(true);
    expect(isExpired(issued.getTime() + 1, issued)).toBe(false);
  });

  it('expires early with a positive skew and late with a negative one', () => {
    // Prepare
    const expiry = at(60_000);
    const now = at(30_000);

    // Act & Assess
    expect(isExpired(expiry, now, 30_000)).toBe(true);
    expect(isExpired(expiry, at(70_000), -15_000)).toBe(false);
    expect(isExpired(expiry, now)).toBe(false);
  });

  it('defaults now to the current time', () => {
    expect(isExpired(new Date(Date.now() - 1000))).toBe(true);
    expect(isExpired(new Date(Date.now() + 60_000))).toBe(false);
  });

  it('throws instead of treating an invalid date or skew as valid', () => {
    expect(() => isExpired('not a date', issued)).toThrow(RangeError);
    expect(() => isExpired(issued, issued, Number.NaN)).toThrow(RangeError);
  });
});

describe('secondsUntil', () => {
  it('counts whole seconds left, rounded down', () => {
    expect(secondsUntil(at(90_999), issued)).toBe(90);
  });

  it('is negative once the date has passed', () => {
    expect(secondsUntil(at(-30_000), issued)).toBe(-30);
  });

  it('defaults now to the current time', () => {
    expect(secondsUntil(new Date(Date.now() + 3_600_000))).toBeGreaterThanOrEqual(3599);
  });
});
