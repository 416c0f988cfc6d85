import { describe, expect, it } from 'vitest';
import {
  assertTarballFileName,
  tarballFileName,
  ValidationError,
  versionFromTarballFileName,
} from '../src/index.ts';

describe('tarballFileName', () => {
  it('uses the unscoped name for scoped packages', () => {
    expect(tarballFileName('@myorg/cli', '1.0.0')).toBe('cli-1.0.0.tgz');
  });

  it('uses the name as it is for unscoped packages', () => {
    expect(tarballFileName('left-pad', '1.3.0-rc.1')).toBe('left-pad-1.3.0-rc.1.tgz');
  });

  it('accepts names npm grandfathered', () => {
    expect(tarballFileName('JSONStream', '1.3.5')).toBe('JSONStream-1.3.5.tgz');
  });

  it('refuses an invalid name or version', () => {
    expect(() => tarballFileName('../etc', '1.0.0')).toThrow(ValidationError);
    expect(() => tarballFileName('pkg', '1.0')).toThrow(ValidationError);
  });
});

describe('assertTarballFileName', () => {
  it('returns the file name when it matches name and version', () => {
    expect(assertTarballFileName('cli-2.0.0.tgz', '@myorg/cli', '2.0.0')).toBe('cli-2.0.0.tgz');
  });

  it.each(['cli-2.0.1.tgz', '@myorg/cli-2.0.0.tgz', 'other-2.0.0.tgz', 'cli-2.0.0.tar.gz', undefined])(
    'refuses %j for @myorg/cli 2.0.0',
    (fileName) => {
      // Act
      const thrown = (() => {
        try {
          return assertTarballFileName(fileName, '@myorg/cli', '2.0.0');
        } catch (error) {
          return error;
        }
      })();

      // Assess
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).code).toBe('EINVALIDTARBALLNAME');
      expect((thrown as ValidationError).issues).toEqual(['expected cli-2.0.0.tgz']);
    },
  );
});

describe('versionFromTarballFileName', () => {
  it('reads the version of a scoped package tarball', () => {
    expect(versionFromTarballFileName('cli-1.0.0-beta.2.tgz', '@myorg/cli')).toBe('1.0.0-beta.2');
  });

  it('reads a version when the name itself contains hyphens and digits', () => {
    expect(versionFromTarballFileName('is-2-4.0.1.tgz', 'is-2')).toBe('4.0.1');
  });

  it.each([
    'cli-1.0.tgz',
    'cli-latest.tgz',
    'clix-1.0.0.tgz',
    'cli-1.0.0.tar',
    '../cli-1.0.0.tgz',
    'cli-.tgz',
  ])('refuses %j for @myorg/cli', (fileName) => {
    expect(() => versionFromTarballFileName(fileName, '@myorg/cli')).toThrow(
      `invalid tarball file name ${JSON.stringify(fileName)}: expected cli-<version>.tgz`,
    );
  });
});
