import { describe, expect, it } from 'vitest';
import { createLocalUser } from '../../src/auth/index.ts';
import { PASSWORD_HASH_COST } from '../../src/auth/local/passwordHash.ts';
import { createHarness, storageKinds, storagePerTest } from './harness.ts';

describe.each(storageKinds)('createLocalUser on $kind storage', ({ open }) => {
  const storage = storagePerTest(open);

  it('creates a user who can then log in on a registry closed to registration', async () => {
    // Prepare
    const shared = storage();
    await createLocalUser(shared, { name: 'alice', email: 'alice@example.test', password: 'correct horse' });
    const registry = createHarness(shared, { allowRegistration: false });

    // Act
    const login = await registry.login('alice', 'correct horse');

    // Assess
    expect(login.status).toBe(201);
    const stored = JSON.parse((await shared.get('auth/users/alice.json'))?.body.toString() ?? '{}');
    expect(stored.password.cost).toBe(PASSWORD_HASH_COST);
    expect(await registry.auth.userExists('alice')).toBe(true);
    expect(await registry.auth.userExists('bob')).toBe(false);
  });

  it('refuses a name that is taken with 409, keeping the first password', async () => {
    // Prepare
    const shared = storage();
    await createLocalUser(shared, { name: 'alice', email: 'alice@example.test', password: 'correct horse' });

    // Act
    const second = createLocalUser(shared, {
      name: 'alice',
      email: 'a@example.test',
      password: 'battery staple',
    });

    // Assess
    await expect(second).rejects.toMatchObject({ status: 409, message: 'there is already a user "alice"' });
    expect((await createHarness(shared).login('alice', 'correct horse')).status).toBe(201);
  });

  it.each([
    [{ name: 'Alice', email: 'a@example.test', password: 'correct horse' }, /must be lower case/],
    [{ name: 'alice', email: 'a@example.test', password: 'short' }, /at least 8 characters/],
    [{ name: 'alice', email: 'not an address', password: 'correct horse' }, /email must be an address/],
  ])('refuses %j with 400, as adduser would', async (user, message) => {
    await expect(createLocalUser(storage(), user)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(message),
    });
  });
});
