import { ValidationError } from '@myorg/validation';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/password.ts';
import { UserDirectory } from '../src/UserDirectory.ts';

describe('UserDirectory', () => {
  let passwordHash: string;

  beforeAll(async () => {
    passwordHash = await hashPassword('s3cret');
  });

  it('authenticates a listed user with the right password', async () => {
    // Prepare
    const users = UserDirectory.parse([{ username: 'bob', displayName: 'Bob', passwordHash }]);

    // Act
    const user = await users.authenticate('bob', 's3cret');

    // Assess
    expect(user).toEqual({ username: 'bob', displayName: 'Bob', passwordHash });
  });

  it('answers undefined for a wrong password and for an unknown user alike', async () => {
    const users = UserDirectory.parse([{ username: 'bob', displayName: 'Bob', passwordHash }]);

    expect(await users.authenticate('bob', 'guess')).toBeUndefined();
    expect(await users.authenticate('mallory', 's3cret')).toBeUndefined();
  });

  it('reports every problem in a user list at once', () => {
    // Act
    let thrown: unknown;
    try {
      UserDirectory.parse([
        { username: 'bob', displayName: 'Bob', passwordHash },
        { username: 'Bob Smith', displayName: '', passwordHash: 'hunter2' },
        { username: 'bob', displayName: 'Another Bob', passwordHash },
      ]);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    const { issues } = thrown as ValidationError;
    expect(issues).toEqual([
      '[1].username: lower-case letters, digits, ".", "_" or "-"',
      expect.stringMatching(/^\[1\]\.displayName: /),
      '[1].passwordHash: expected a scrypt hash from hashPassword',
      '[2].username: duplicate user "bob"',
    ]);
  });

  it('refuses input that is not a list of users', () => {
    expect(() => UserDirectory.parse({ alice: 'wonderland' })).toThrow(/^invalid user list: \(root\): /);
  });
});
