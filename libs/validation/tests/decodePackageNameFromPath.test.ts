import { describe, expect, it } from 'vitest';
import { decodePackageNameFromPath } from '../src/index.ts';
import { validationErrorFrom } from './support/validationErrorFrom.ts';

const issuesOf = (segment: string) => validationErrorFrom(() => decodePackageNameFromPath(segment)).issues;

describe('decodePackageNameFromPath', () => {
  it.each([
    ['@myorg%2fcli', '@myorg/cli'],
    ['@myorg%2Fcli', '@myorg/cli'],
    ['@myorg/cli', '@myorg/cli'],
    ['%40myorg%2fcli', '@myorg/cli'],
    ['left-pad', 'left-pad'],
  ])('decodes %s to %s', (segment, name) => {
    expect(decodePackageNameFromPath(segment)).toBe(name);
  });

  it.each([
    ['..', 'path segment must not contain "." or ".."'],
    ['%2e%2e', 'path segment must not contain "." or ".."'],
    ['@myorg%2f..', 'path segment must not contain "." or ".."'],
    ['@myorg/../secrets', 'path segment must not contain "." or ".."'],
    ['..%2fetc', 'path segment must not contain "." or ".."'],
    ['pkg\\evil', 'path segment must not contain a backslash'],
    ['pkg%5cevil', 'path segment must not contain a backslash'],
    ['pkg%00', 'path segment must not contain control characters'],
    ['pkg%0aInjected', 'path segment must not contain control characters'],
    ['@myorg%2fcli%2fextra', 'path segment must hold one package name: @scope/name or name'],
    ['@myorg//cli', 'path segment must hold one package name: @scope/name or name'],
    ['%2fetc', 'path segment must hold one package name: @scope/name or name'],
    ['pkg/extra', 'path segment must hold one package name: @scope/name or name'],
    ['%E0%A4%A', 'path segment is not valid percent-encoding'],
  ])('refuses %j', (segment, issue) => {
    expect(issuesOf(segment)).toEqual([issue]);
  });

  it('decodes exactly once, so double encoding stays invalid', () => {
    expect(issuesOf('%2540myorg%252fcli')).toContain('name can only contain URL-friendly characters');
  });

  it('applies the package name rules to what it decoded', () => {
    // Act
    const error = validationErrorFrom(() => decodePackageNameFromPath('@myorg%2FCLI'));

    // Assess
    expect(error.code).toBe('EINVALIDPACKAGENAME');
    expect(error.issues).toEqual(['name can no longer contain capital letters']);
  });

  it('passes legacy mode on to the name rules', () => {
    expect(decodePackageNameFromPath('JSONStream', { legacy: true })).toBe('JSONStream');
  });

  it('refuses a value that is not a string', () => {
    expect(() => decodePackageNameFromPath(undefined as unknown as string)).toThrow(
      'path segment must be a string',
    );
  });

  it('names the raw segment in the message', () => {
    expect(() => decodePackageNameFromPath('a%2f..%2f..')).toThrow(
      'invalid package name in path "a%2f..%2f..": path segment must not contain "." or ".."',
    );
  });
});
