import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../src/auth/authorizationHeader.ts';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('parseAuthorization', () => {
  it('reads a Bearer token whatever the case of the scheme', () => {
    expect(parseAuthorization('Bearer abc')).toEqual({ scheme: 'bearer', token: 'abc' });
    expect(parseAuthorization('bearer  abc ')).toEqual({ scheme: 'bearer', token: 'abc' });
  });

  it('reads Basic credentials whose password may hold colons', () => {
    expect(parseAuthorization(basic('alice:pa:ss word'))).toEqual({
      scheme: 'basic',
      username: 'alice',
      password: 'pa:ss word',
    });
  });

  it('ignores missing, empty, malformed and unknown credentials', () => {
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization('Bearer')).toBeUndefined();
    expect(parseAuthorization('Bearer   ')).toBeUndefined();
    expect(parseAuthorization(basic('no-colon'))).toBeUndefined();
    expect(parseAuthorization(basic(':password-without-user'))).toBeUndefined();
    expect(parseAuthorization('Digest username="alice"')).toBeUndefined();
  });
});
