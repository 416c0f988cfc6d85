import { describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../src/index.ts';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip,deflate', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['deflate', 'identity'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0', 'identity'],
    ['gzip;q=0, br;q=0', 'identity'],
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['gzip;q=0.5, br;q=0.5', 'br'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['*;q=0.3, gzip;q=0.8', 'gzip'],
    ['*, br;q=0', 'gzip'],
    ['identity;q=1, gzip;q=0.5', 'identity'],
    ['identity;q=0.2, gzip', 'gzip'],
    ['gzip;q=2', 'identity'],
    ['gzip;q=abc, br', 'br'],
    ['gzip ; Q=0.4 ; level=1, br;q=0.3', 'gzip'],
    ['br;level=1', 'br'],
  ])('answers %j with %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });

  it('keeps answering correctly once many distinct headers have been seen', () => {
    // Act
    const answers = Array.from({ length: 600 }, (_, i) =>
      negotiateEncoding(`gzip;q=0.${(i % 9) + 1}, x-${i}`),
    );

    // Assess
    expect(new Set(answers)).toEqual(new Set(['gzip']));
    expect(negotiateEncoding('br, gzip')).toBe('br');
  });
});
