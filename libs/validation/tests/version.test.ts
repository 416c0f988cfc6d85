import { describe, expect, it } from 'vitest';
import { assertVersion, isValidVersion, MAX_VERSION_LENGTH } from '../src/index.ts';
import { validationErrorFrom } from './support/validationErrorFrom.ts';

describe('isValidVersion', () => {
  it.each(['0.0.0', '1.2.3', '10.20.30', '1.0.0-alpha', '2.0.0-beta.1', '1.0.0-rc.1.2'])(
    'accepts %s',
    (version) => {
      expect(isValidVersion(version)).toBe(true);
    },
  );

  it.each([
    'v1.2.3',
    '=1.2.3',
    ' 1.2.3',
    '1.2.3 ',
    '1.2',
    '1',
    '01.2.3',
    '1.2.3+build.5',
    '^1.2.3',
    'latest',
    '',
    `1.2.3-${'a'.repeat(300)}`,
    `1.2.3-${'a'.repeat(123)}`,
  ])('refuses %j', (version) => {
    expect(isValidVersion(version)).toBe(false);
  });

  it('refuses values that are not strings', () => {
    expect(isValidVersion(123)).toBe(false);
    expect(isValidVersion(undefined)).toBe(false);
  });
});

describe('assertVersion', () => {
  it('returns a valid version unchanged', () => {
    expect(assertVersion('1.2.3-beta.0')).toBe('1.2.3-beta.0');
  });

  it('accepts a version of exactly MAX_VERSION_LENGTH characters', () => {
    const version = `1.2.3-${'a'.repeat(MAX_VERSION_LENGTH - 6)}`;
    expect(assertVersion(version)).toBe(version);
  });

  it('names the length limit for a version semver allows but storage could not hold', () => {
    // Act
    const error = validationErrorFrom(() => assertVersion(`1.0.0-${'a'.repeat(250)}`));

    // Assess
    expect(error.code).toBe('EINVALIDVERSION');
    expect(error.issues).toEqual([
      `version is too long: 256 characters, at most ${MAX_VERSION_LENGTH} are allowed`,
    ]);
  });

  it('throws a ValidationError that quotes the input', () => {
    // Act
    const error = validationErrorFrom(() => assertVersion('v1.0.0'));

    // Assess
    expect(error.code).toBe('EINVALIDVERSION');
    expect(error.message).toBe(
      'invalid version "v1.0.0": version must be a strict semver version such as 1.2.3 or 2.0.0-beta.1',
    );
  });
});
