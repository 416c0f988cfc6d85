import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/index.ts';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['900s', 900 * second],
    ['15m', 15 * minute],
    ['12h', 12 * hour],
    ['7d', 7 * day],
    ['1h30m', hour + 30 * minute],
    ['1d 12h', day + 12 * hour],
    ['1m30s500ms', minute + 30 * second + 500],
    ['1.5h', 1.5 * hour],
    ['0s', 0],
    ['2500', 2500],
    [' 2500 ', 2500],
  ])('reads %j', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('takes numbers as milliseconds, rounded to whole ms', () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration(0.6)).toBe(1);
  });

  it.each(['', 'abc', '15x', '15M', '30m1h', '1h1h', '-5s', '1 h', 'ms', '1.h'])(
    'rejects %j with a RangeError naming it',
    (input) => {
      expect(() => parseDuration(input)).toThrow(RangeError);
      expect(() => parseDuration(input)).toThrow(`invalid duration ${JSON.stringify(input)}`);
    },
  );

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the number %s', (input) => {
    expect(() => parseDuration(input)).toThrow(RangeError);
  });

  it('rejects a duration too large to count in milliseconds', () => {
    expect(() => parseDuration('9999999999999d')).toThrow('too large');
    expect(() => parseDuration(1e300)).toThrow('too large');
  });

  it('rejects a value that is neither string nor number with a TypeError', () => {
    // Prepare: config read from JSON or the environment can hold anything.
    const fromConfig = JSON.parse('{"ttl": null}') as { ttl: string };

    // Act
    const read = () => parseDuration(fromConfig.ttl);

    // Assess
    expect(read).toThrow(TypeError);
    expect(read).toThrow('invalid duration null');
  });
});

describe('formatDuration', () => {
  it.each([
    [hour + 30 * minute, '1h30m'],
    [1500, '1s500ms'],
    [7 * day, '7d'],
    [day + 2 * hour + 3 * minute + 4 * second + 5, '1d2h3m4s5ms'],
    [0, '0ms'],
    [-5 * minute, '-5m'],
    [999.6, '1s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('writes what parseDuration reads back', () => {
    for (const ms of [1, 59_999, 3_600_001, 90 * day + 1234]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });

  it('rejects a non-finite duration', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });
});
