import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHash } from './records.ts';

// The common recommendation for interactive logins (N=2^15, r=8, p=1): 32 MiB and roughly 100 ms per
// hash, which keeps a burst of logins within the registry's memory budget. Logins are rare; requests
// never hash a password (tokens are checked instead).
export const PASSWORD_HASH_COST = 2 ** 15;
const BLOCK_SIZE = 8;
const PARALLELIZATION = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Hashes a password with scrypt and a fresh random salt. Runs on libuv's pool, not the event loop.
 * `cost` (N, a power of two) is stored with the hash, which is verified with it.
 */
export async function hashPassword(password: string, cost = PASSWORD_HASH_COST): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  const parameters = { cost, blockSize: BLOCK_SIZE, parallelization: PARALLELIZATION };
  const key = await derive(password, salt, KEY_BYTES, parameters);
  return {
    algorithm: 'scrypt',
    ...parameters,
    salt: salt.toString('base64'),
    hash: key.toString('base64'),
  };
}

/** True when `password` matches `stored`, compared in constant time with the stored parameters. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), expected.length, stored);
  return timingSafeEqual(actual, expected);
}

function derive(
  password: string,
  salt: Buffer,
  length: number,
  parameters: Pick<PasswordHash, 'cost' | 'blockSize' | 'parallelization'>,
): Promise<Buffer> {
  const options: ScryptOptions = {
    N: parameters.cost,
    r: parameters.blockSize,
    p: parameters.parallelization,
    // Node's default ceiling (32 MiB) is exactly what N=2^15, r=8 needs, which it rejects; allow twice that.
    maxmem: 256 * parameters.cost * parameters.blockSize,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
