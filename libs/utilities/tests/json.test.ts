import { BadRequestError } from '@myorg/error';
import { describe, expect, it } from 'vitest';
import { isPlainObject, parseJson, safeJsonParse } from '../src/index.ts';

describe('safeJsonParse', () => {
  it('parses text and UTF-8 bytes', () => {
    expect(safeJsonParse('{"name":"@myorg/x","n":[1,2]}')).toEqual({
      ok: true,
      value: { name: '@myorg/x', n: [1, 2] },
    });
    expect(safeJsonParse(new TextEncoder().encode('{"é":"ü"}'))).toEqual({ ok: true, value: { é: 'ü' } });
  });

  it('ignores a leading byte order mark', () => {
    expect(safeJsonParse('\uFEFF{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(safeJsonParse(Buffer.from('\uFEFF[true]', 'utf8'))).toEqual({ ok: true, value: [true] });
  });

  it('reports malformed text as an error instead of throwing', () => {
    // Act
    const result = safeJsonParse('{"a":');

    // Assess
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error).toBeInstanceOf(SyntaxError);
  });

  it('reports bytes that are not UTF-8 as an error', () => {
    const result = safeJsonParse(Uint8Array.of(0x22, 0xff, 0x22));
    expect(result.ok).toBe(false);
  });

  it('drops __proto__ keys at any depth, however they are spelled', () => {
    // Prepare
    const text =
      '{"a":{"__proto__":{"polluted":1},"b":2},"\\u005f_proto__":{"polluted":2},"list":[{"__proto__":{}}]}';

    // Act
    const result = safeJsonParse<Record<string, unknown>>(text);

    // Assess
    expect(result).toEqual({ ok: true, value: { a: { b: 2 }, list: [{}] } });
    const value = result.ok ? result.value : {};
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expect(Object.hasOwn(value.a as object, '__proto__')).toBe(false);
    // Merging the result into another object must not reach Object.prototype.
    const merged = Object.assign({}, value, value.a);
    expect((merged as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops prototype under constructor but keeps an ordinary constructor field', () => {
    expect(safeJsonParse('{"constructor":{"prototype":{"polluted":1},"name":"x"}}')).toEqual({
      ok: true,
      value: { constructor: { name: 'x' } },
    });
    expect(safeJsonParse('{"constructor":"Foo"}')).toEqual({ ok: true, value: { constructor: 'Foo' } });
  });

  it('keeps escaped text that is not a polluting key', () => {
    expect(safeJsonParse('{"k":"\\u00e9"}')).toEqual({ ok: true, value: { k: 'é' } });
  });
});

describe('parseJson', () => {
  it('returns the parsed value', () => {
    expect(parseJson<{ a: number }>('{"a":1}').a).toBe(1);
  });

  it('throws a BadRequestError naming what was malformed and why', () => {
    // Act
    let caught: unknown;
    try {
      parseJson('{"name":', 'request body');
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(BadRequestError);
    const error = caught as BadRequestError;
    expect(error.code).toBe('EJSONPARSE');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^malformed JSON in request body: .+/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.message).toContain((error.cause as Error).message);
  });

  it('says JSON when not told what it parsed', () => {
    expect(() => parseJson('nope')).toThrow(/^malformed JSON in JSON: /);
  });
});

describe('isPlainObject', () => {
  it('accepts literal and prototype-less objects', () => {
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(JSON.parse('{}'))).toBe(true);
  });

  it('rejects arrays, class instances, built-ins and primitives', () => {
    class Manifest {}
    for (const value of [[], new Manifest(), new Date(), new Map(), null, undefined, 'x', 1]) {
      expect(isPlainObject(value)).toBe(false);
    }
  });
});
