import { describe, expect, it } from 'vitest';
import { assertDistTag, ValidationError, validateDistTag } from '../src/index.ts';

describe('validateDistTag', () => {
  it.each(['latest', 'next', 'beta', 'canary', 'release-2024', 'v1-lts', 'LTS'])('accepts %s', (tag) => {
    expect(validateDistTag(tag)).toEqual({ valid: true, errors: [] });
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
  ])('refuses %j', (tag, message) => {
    // Act
    const result = validateDistTag(tag);

    // Assess
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([message]);
  });
});

describe('assertDistTag', () => {
  it('returns a valid tag unchanged', () => {
    expect(assertDistTag('latest')).toBe('latest');
  });

  it('throws a ValidationError with npm code EINVALIDTAGNAME', () => {
    // Act
    const thrown = (() => {
      try {
        return assertDistTag('1.x');
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).code).toBe('EINVALIDTAGNAME');
    expect((thrown as ValidationError).message).toBe(
      'invalid dist-tag "1.x": Tag name must not be a valid SemVer range: 1.x',
    );
  });
});
