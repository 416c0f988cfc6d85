import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/auth/local/passwordHash.ts';

describe('hashPassword', () => {
  it('stores scrypt parameters and a random salt, never the password', async () => {
    // Act
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');

    // Assess
    expect(first).toMatchObject({ algorithm: 'scrypt', cost: 2 ** 15, blockSize: 8, parallelization: 1 });
    expect(first.salt).not.toBe(second.salt);
    expect(first.hash).not.toBe(second.hash);
    expect(JSON.stringify(first)).not.toContain('correct horse');
  });

  it('verifies the right password and rejects a wrong one', async () => {
    // Prepare
    const stored = await hashPassword('correct horse');

    // Act
    const [right, wrong] = await Promise.all([
      verifyPassword('correct horse', stored),
      verifyPassword('correct horsf', stored),
    ]);

    // Assess
    expect(right).toBe(true);
    expect(wrong).toBe(false);
  });

  it('treats canonically equivalent Unicode spellings of a password as the same password', async () => {
    // Prepare: "é" precomposed, then as "e" plus a combining accent.
    const stored = await hashPassword('caf\u00e9 au lait');

    // Act
    const matches = await verifyPassword('cafe\u0301 au lait', stored);

    // Assess
    expect(matches).toBe(true);
  });

  it('verifies with the parameters stored alongside the hash, so they can change later', async () => {
    // Prepare: a hash made with cheaper parameters than today's.
    const stored = await hashPassword('correct horse');
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from(stored.salt, 'base64');
    const cheap = {
      ...stored,
      cost: 1024,
      hash: scryptSync('correct horse', salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64'),
    };

    // Act
    const matches = await verifyPassword('correct horse', cheap);

    // Assess
    expect(matches).toBe(true);
  });
});
