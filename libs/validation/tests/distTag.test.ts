import { describe, expect, it } from 'vitest';
import { assertDistTag } from '../src/index.ts';
import { validationErrorFrom } from './support/validationErrorFrom.ts';

describe('assertDistTag', () => {
  it.each(['latest', 'next', 'beta', 'canary', 'release-2024', 'v1-lts', 'LTS'])('accepts %s', (tag) => {
    expect(assertDistTag(tag)).toBe(tag);
  });

  it.each([
    ['1.x', 'Tag name must not be a valid SemVer range: 1.x'],
    ['~1.2', 'Tag name must not be a valid SemVer range: ~1.2'],
    ['v1', 'Tag name must not be a valid SemVer range: v1'],
    ['x', 'Tag name must not be a valid SemVer range: x'],
    ['1.2.3', 'Tag name must not be a valid SemVer range: 1.2.3'],
    ['', 'Tag name must not be empty'],
    ['next/beta', 'Tag name can only contain URL-friendly characters (no slash or space)'],
    ['my tag', 'Tag name can only contain URL-friendly characters (no slash or space)'],
    ['..', 'Tag name must not be "." or ".."'],
    [7, 'Tag name must be a string'],
    ['__proto__', 'Tag name must not be a property every object has: __proto__'],
    ['constructor', 'Tag name must not be a property every object has: constructor'],
    ['toString', 'Tag name must not be a property every object has: toString'],
  ])('refuses %j', (tag, message) => {
    expect(validationErrorFrom(() => assertDistTag(tag)).issues).toEqual([message]);
  });

  it('throws a ValidationError with npm code EINVALIDTAGNAME', () => {
    // Act
    const error = validationErrorFrom(() => assertDistTag('1.x'));

    // Assess
    expect(error.code).toBe('EINVALIDTAGNAME');
    expect(error.message).toBe('invalid dist-tag "1.x": Tag name must not be a valid SemVer range: 1.x');
  });
});
