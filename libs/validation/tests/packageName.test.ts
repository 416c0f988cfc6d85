import { describe, expect, it } from 'vitest';
import { assertPackageName, ValidationError, validatePackageName } from '../src/index.ts';
import { unscopedPackageName } from '../src/packageName.ts';
import { validationErrorFrom } from './support/validationErrorFrom.ts';

describe('validatePackageName', () => {
  it.each([
    'some-package',
    'example.com',
    'under_score',
    '123numeric',
    '@npm/thingy',
    '@jane/foo.js',
    '@myorg/_internal',
    'a'.repeat(214),
  ])('accepts %j', (name) => {
    expect(validatePackageName(name)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it.each([
    [null, 'name cannot be null'],
    [undefined, 'name cannot be undefined'],
    [42, 'name must be a string'],
    ['', 'name length must be greater than zero'],
    ['.hidden', 'name cannot start with a period'],
    ['@scope/.hidden', 'name cannot start with a period'],
    ['@../escape', 'scope cannot start with a period'],
    ['-dash', 'name cannot start with a hyphen'],
    ['_private', 'name cannot start with an underscore'],
    [' padded', 'name cannot contain leading or trailing spaces'],
    ['padded\n', 'name cannot contain leading or trailing spaces'],
    ['node_modules', 'node_modules is not a valid package name'],
    ['FAVICON.ICO', 'favicon.ico is not a valid package name'],
    ['http', 'http is a core module name'],
    ['a'.repeat(215), 'name can no longer contain more than 214 characters'],
    ['JSONStream', 'name can no longer contain capital letters'],
    ['@MyOrg/pkg', 'name can no longer contain capital letters'],
    ['crazy!', 'name can no longer contain special characters ("~\'!()*")'],
    ['@scope/(x)', 'name can no longer contain special characters ("~\'!()*")'],
    ['with space', 'name can only contain URL-friendly characters'],
    ['café', 'name can only contain URL-friendly characters'],
    ['a/b', 'name can only contain URL-friendly characters'],
    ['@scope/a/b', 'name can only contain URL-friendly characters'],
    ['@scope', 'name can only contain URL-friendly characters'],
    ['@/name', 'name can only contain URL-friendly characters'],
    ['@scope/', 'name can only contain URL-friendly characters'],
    ['@sc:ope/name', 'name can only contain URL-friendly characters'],
    ['lone\uD800surrogate', 'name can only contain URL-friendly characters'],
  ])('refuses %j with "%s"', (name, message) => {
    // Act
    const result = validatePackageName(name);

    // Assess
    expect(result.valid).toBe(false);
    expect(result.errors).toContain(message);
    expect(result.warnings).toEqual([]);
  });

  it('reports every rule a name breaks at once', () => {
    expect(validatePackageName(' Bad Name!').errors).toEqual([
      'name cannot contain leading or trailing spaces',
      'name can only contain URL-friendly characters',
      'name can no longer contain capital letters',
      'name can no longer contain special characters ("~\'!()*")',
    ]);
  });

  it('turns retired rules into warnings in legacy mode', () => {
    // Act
    const names = ['JSONStream', 'events', 'crazy!', 'a'.repeat(215)].map((name) =>
      validatePackageName(name, { legacy: true }),
    );

    // Assess
    for (const result of names) {
      expect(result.valid).toBe(true);
      expect(result.errors).toEqual([]);
      expect(result.warnings).toHaveLength(1);
    }
    expect(names[1]?.warnings).toEqual(['events is a core module name']);
  });

  it('keeps rules npm always had as errors in legacy mode', () => {
    expect(validatePackageName('node_modules', { legacy: true }).valid).toBe(false);
    expect(validatePackageName('Has Space', { legacy: true })).toEqual({
      valid: false,
      errors: ['name can only contain URL-friendly characters'],
      warnings: ['name can no longer contain capital letters'],
    });
  });

  it('does not treat scoped names that match a core module as core modules', () => {
    expect(validatePackageName('@myorg/http').valid).toBe(true);
  });
});

describe('assertPackageName', () => {
  it('returns a valid name unchanged', () => {
    expect(assertPackageName('@myorg/cli')).toBe('@myorg/cli');
  });

  it('throws a 400 ValidationError with npm wording for an invalid name', () => {
    // Act
    const error = validationErrorFrom(() => assertPackageName('my pkg'));

    // Assess
    expect(error.status).toBe(400);
    expect(error.code).toBe('EINVALIDPACKAGENAME');
    expect(error.issues).toEqual(['name can only contain URL-friendly characters']);
    expect(error.message).toBe(
      'invalid package name "my pkg": name can only contain URL-friendly characters',
    );
  });

  it('describes non-string input by its type', () => {
    expect(() => assertPackageName({})).toThrow('invalid package name object: name must be a string');
    expect(() => assertPackageName(null)).toThrow('invalid package name null: name cannot be null');
  });

  it('shortens a huge name in the message', () => {
    // Prepare
    const name = `A${'a'.repeat(5000)}`;

    // Act
    const { message } = validationErrorFrom(() => assertPackageName(name));

    // Assess
    expect(message.length).toBeLessThan(300);
    expect(message).toContain('…');
  });

  it('accepts a legacy name only when asked to', () => {
    expect(() => assertPackageName('JSONStream')).toThrow(ValidationError);
    expect(assertPackageName('JSONStream', { legacy: true })).toBe('JSONStream');
  });
});

describe('unscopedPackageName', () => {
  it('drops the scope of a scoped name', () => {
    expect(unscopedPackageName('@myorg/logger')).toBe('logger');
  });

  it('keeps an unscoped name as it is', () => {
    expect(unscopedPackageName('left-pad')).toBe('left-pad');
  });

  it('throws for an invalid name', () => {
    expect(() => unscopedPackageName('@myorg/a/b')).toThrow(ValidationError);
  });
});
