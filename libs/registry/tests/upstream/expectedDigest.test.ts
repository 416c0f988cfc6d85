import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectedDigest } from '../../src/upstream/expectedDigest.ts';

const bytes = Buffer.from('tarball bytes');
const sha512 = createHash('sha512').update(bytes).digest();
const sha256 = createHash('sha256').update(bytes).digest();
const sha1 = createHash('sha1').update(bytes).digest('hex');

describe('expectedDigest', () => {
  it('takes the strongest SHA-2 entry of an SRI string, whatever its order or options', () => {
    // Act
    const digest = expectedDigest({
      integrity: `sha1-${Buffer.from(sha1, 'hex').toString('base64')} sha256-${sha256.toString('base64')} sha512-${sha512.toString('base64')}?opt`,
      shasum: sha1,
    });

    // Assess
    expect(digest).toEqual({
      algorithm: 'sha512',
      value: sha512.toString('base64'),
      hex: sha512.toString('hex'),
    });
  });

  it('falls back to a weaker SHA-2 entry, then to the shasum', () => {
    expect(expectedDigest({ integrity: `sha256-${sha256.toString('base64')}` })?.algorithm).toBe('sha256');
    expect(expectedDigest({ integrity: 'md5-abc', shasum: sha1.toUpperCase() })).toEqual({
      algorithm: 'sha1',
      value: sha1,
      hex: sha1,
    });
  });

  it('finds nothing usable in malformed or missing values', () => {
    expect(expectedDigest({})).toBeUndefined();
    expect(expectedDigest({ integrity: 'sha512-tooShort', shasum: 'abc' })).toBeUndefined();
    expect(expectedDigest({ integrity: 42, shasum: null })).toBeUndefined();
  });
});
