import { describe, expect, it } from 'vitest';
import { MAX_USER_NAME_LENGTH, userKey, userNameProblem } from '../../src/auth/local/userName.ts';

describe('userNameProblem', () => {
  it('accepts lower-case URL-safe names up to the length limit', () => {
    for (const name of ['a', 'alice', 'al.ice_2-b', '0day', 'a'.repeat(MAX_USER_NAME_LENGTH)]) {
      expect(userNameProblem(name)).toBeUndefined();
    }
  });

  it('says why a name is refused', () => {
    expect(userNameProblem('')).toMatch(/1 to 214 characters/);
    expect(userNameProblem('a'.repeat(MAX_USER_NAME_LENGTH + 1))).toMatch(/1 to 214 characters/);
    expect(userNameProblem('Alice')).toBe('must be lower case');
    for (const name of ['.hidden', '_x', '-x', 'a b', 'a/b', 'a%2fb', 'a:b', 'ä', '..']) {
      expect(userNameProblem(name), name).toMatch(/may only contain/);
    }
  });

  it('keys users by their lower-cased name', () => {
    expect(userKey('Alice')).toBe(userKey('alice'));
  });
});
