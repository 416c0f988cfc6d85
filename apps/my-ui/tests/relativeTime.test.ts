import { describe, expect, it } from 'vitest';
import { displayTime } from '../src/relativeTime.ts';

const now = Date.parse('2030-06-15T12:00:00.000Z');
const ago = (ms: number) => new Date(now - ms);

describe('displayTime', () => {
  it('rounds down to the largest whole unit', () => {
    expect(displayTime(ago(3 * 86_400_000 + 5 * 3_600_000), now).relative).toBe('3d ago');
    expect(displayTime(ago(5 * 3_600_000 + 59 * 60_000), now).relative).toBe('5h ago');
    expect(displayTime(ago(61 * 60_000), now).relative).toBe('1h ago');
    expect(displayTime(ago(2 * 60_000 + 59_000), now).relative).toBe('2m ago');
  });

  it('says just now under a minute, and handles times in the future', () => {
    expect(displayTime(ago(59_000), now).relative).toBe('just now');
    expect(displayTime(ago(-2 * 86_400_000), now).relative).toBe('in 2d');
  });

  it('keeps the exact time in ISO form, from a Date or an npm time string', () => {
    expect(displayTime('2030-06-01T08:30:00Z', now)).toEqual({
      relative: '14d ago',
      iso: '2030-06-01T08:30:00.000Z',
    });
  });

  it('refuses a time that is not a date', () => {
    expect(() => displayTime('yesterday', now)).toThrow(RangeError);
  });
});
