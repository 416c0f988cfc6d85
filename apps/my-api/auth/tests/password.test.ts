import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_HASH_PATTERN, verifyPassword } from '../src/password.ts';

describe('password hashing', () => {
  it('accepts the password a hash was made from and nothing else', async () => {
    // Prepare
    const hash = await hashPassword('correct horse battery staple');

    // Act
    const right = await verifyPassword('correct horse battery staple', hash);
    const wrong = await verifyPassword('correct horse battery stapler', hash);

    // Assess
    expect(hash).toMatch(PASSWORD_HASH_PATTERN);
    expect(right).toBe(true);
    expect(wrong).toBe(false);
  });

  it('salts every hash, so equal passwords do not give equal hashes', async () => {
    const [first, second] = await Promise.all([hashPassword('same'), hashPassword('same')]);

    expect(first).not.toBe(second);
    expect(await verifyPassword('same', second)).toBe(true);
  });

  it('treats canonically equivalent Unicode spellings as the same password', async () => {
    const hash = await hashPassword('caf\u00e9');

    expect(await verifyPassword('cafe\u0301', hash)).toBe(true);
  });

  it('refuses to compare against something that is not a scrypt hash', async () => {
    await expect(verifyPassword('x', 'plain-text-password')).rejects.toThrow(TypeError);
  });
});
