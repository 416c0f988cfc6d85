import { describe, expect, it } from 'vitest';
import { tarballFileName, versionFromTarballFileName } from '../src/index.ts';
import { validationErrorFrom } from './support/validationErrorFrom.ts';

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
    expect(validationErrorFrom(() => tarballFileName('../etc', '1.0.0')).code).toBe('EINVALIDPACKAGENAME');
    expect(validationErrorFrom(() => tarballFileName('@myorg/a/b', '1.0.0')).code).toBe(
      'EINVALIDPACKAGENAME',
    );
    expect(validationErrorFrom(() => tarballFileName('pkg', '1.0')).code).toBe('EINVALIDVERSION');
  });
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
    '@myorg/cli-1.0.0.tgz',
  ])('refuses %j for @myorg/cli', (fileName) => {
    // Act
    const error = validationErrorFrom(() => versionFromTarballFileName(fileName, '@myorg/cli'));

    // Assess
    expect(error.code).toBe('EINVALIDTARBALLNAME');
    expect(error.message).toBe(
      `invalid tarball file name ${JSON.stringify(fileName)}: expected cli-<version>.tgz`,
    );
  });
});
