import { describe, expect, expectTypeOf, it } from 'vitest';
import { chunk, groupBy, partition, uniq } from '../src/index.ts';

describe('chunk', () => {
  it('splits into batches of the given size with a shorter last batch', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('returns no batches for no items', () => {
    expect(chunk([], 3)).toEqual([]);
  });

  it('batches a generator without copying it first', () => {
    // Prepare
    function* names() {
      yield 'a';
      yield 'b';
      yield 'c';
    }

    // Act
    const batches = chunk(names(), 3);

    // Assess
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects size %s with a RangeError', (size) => {
    expect(() => chunk([1], size)).toThrow(RangeError);
    expect(() => chunk([1], size)).toThrow(`got ${size}`);
  });
});

describe('uniq', () => {
  it('keeps the first occurrence of each value in input order', () => {
    expect(uniq([3, 1, 3, 2, 1, Number.NaN, Number.NaN])).toEqual([3, 1, 2, Number.NaN]);
  });
});

describe('groupBy', () => {
  it('groups items by key keeping their order', () => {
    // Prepare
    const versions = [
      { version: '1.0.0', tag: 'latest' },
      { version: '2.0.0-rc.1', tag: 'next' },
      { version: '1.1.0', tag: 'latest' },
    ];

    // Act
    const byTag = groupBy(versions, (v) => v.tag);

    // Assess
    expect(byTag.latest?.map((v) => v.version)).toEqual(['1.0.0', '1.1.0']);
    expect(byTag.next?.map((v) => v.version)).toEqual(['2.0.0-rc.1']);
    expect(Object.keys(byTag)).toEqual(['latest', 'next']);
  });

  it('treats __proto__ from user data as an ordinary group', () => {
    // Act
    const groups = groupBy(['x', 'y'], (_item, index) => (index === 0 ? '__proto__' : 'constructor'));

    // Assess
    expect(Object.getPrototypeOf(groups)).toBeNull();
    expect(Object.entries(groups)).toEqual([
      ['__proto__', ['x']],
      ['constructor', ['y']],
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('partition', () => {
  it('splits items by a predicate keeping order', () => {
    expect(partition([1, 2, 3, 4, 5], (n) => n % 2 === 1)).toEqual([
      [1, 3, 5],
      [2, 4],
    ]);
  });

  it('narrows both halves with a type guard', () => {
    // Prepare
    const values: (string | number)[] = ['a', 1, 'b', 2];

    // Act
    const [strings, numbers] = partition(values, (v): v is string => typeof v === 'string');

    // Assess
    expectTypeOf(strings).toEqualTypeOf<string[]>();
    expectTypeOf(numbers).toEqualTypeOf<number[]>();
    expect(strings.map((s) => s.toUpperCase())).toEqual(['A', 'B']);
    expect(numbers.map((n) => n.toFixed(1))).toEqual(['1.0', '2.0']);
  });

  it('passes the index to the predicate', () => {
    expect(partition(['a', 'b', 'c'], (_item, index) => index < 2)).toEqual([['a', 'b'], ['c']]);
  });
});
