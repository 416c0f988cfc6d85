import { describe, expect, it } from 'vitest';
import { PASSWORD_HASH_COST } from '../../src/auth/local/passwordHash.ts';
import { hashToken } from '../../src/auth/tokens/accessToken.ts';
import { createHarness, storageKinds, storagePerTest } from './harness.ts';

const PASSWORD = 'correct horse';
const DAY_MS = 86_400_000;

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let current = start;
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}

describe.each(storageKinds)('authenticate on $kind storage', ({ open }) => {
  const storage = storagePerTest(open);

  /** Alice's login token and one more token she created with her password. */
  async function aliceWithCreatedToken() {
    const registry = createHarness(storage());
    const login = (await registry.adduser('alice', PASSWORD)).body.token;
    const created = (
      await registry.call('POST', '/-/npm/v1/tokens', { token: login, body: { password: PASSWORD } })
    ).body;
    return { registry, login, created };
  }

  it('costs microseconds: 10,000 token checks take well under 100 ms, so no password hash runs', async () => {
    // Prepare: one scrypt hash alone costs about the whole budget. Warm up so the JIT has compiled the path.
    const registry = createHarness(storage(), { passwordHashCost: PASSWORD_HASH_COST });
    const { token } = (await registry.adduser('alice', PASSWORD)).body;
    const header = `Bearer ${token}`;
    for (let index = 0; index < 1_000; index += 1) await registry.auth.authenticate(header);

    // Act: CPU time, because wall time also counts whatever else shares the machine's cores.
    const cpuBefore = process.cpuUsage();
    for (let index = 0; index < 10_000; index += 1) await registry.auth.authenticate(header);
    const cpu = process.cpuUsage(cpuBefore);

    // Assess
    expect(await registry.auth.authenticate(header)).toMatchObject({ name: 'alice' });
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(100);
  });

  it('sees a revocation made by another process once its cache entry is older than the time to live', async () => {
    // Prepare: two registry processes sharing one storage.
    const clock = manualClock();
    const here = createHarness(storage(), { now: clock.now, tokenCache: { ttlMs: 30_000 } });
    const elsewhere = createHarness(storage(), { now: clock.now });
    const { token } = (await here.adduser('alice', PASSWORD)).body;
    expect(await here.auth.authenticate(`Bearer ${token}`)).toMatchObject({ name: 'alice' });

    // Act
    await elsewhere.call('DELETE', '/-/user/token/:token', { params: { token } });
    const withinTtl = await here.auth.authenticate(`Bearer ${token}`);
    clock.advance(30_000);
    const afterTtl = await here.auth.authenticate(`Bearer ${token}`);

    // Assess
    expect(withinTtl).toMatchObject({ name: 'alice' });
    expect(afterTtl).toBeUndefined();
    expect(await elsewhere.auth.authenticate(`Bearer ${token}`)).toBeUndefined();
  });

  it('stops accepting a token when it expires', async () => {
    // Prepare
    const clock = manualClock();
    const registry = createHarness(storage(), { now: clock.now });
    const login = (await registry.adduser('alice', PASSWORD)).body.token;
    const created = await registry.call('POST', '/-/npm/v1/tokens', {
      token: login,
      body: { password: PASSWORD, expires: 1 },
    });
    const header = `Bearer ${created.body.token}`;

    // Act
    clock.advance(DAY_MS - 1);
    const before = await registry.auth.authenticate(header);
    clock.advance(1);
    const after = await registry.call('GET', '/-/whoami', { token: created.body.token });

    // Assess
    expect(created.body.expires).toBe('2030-01-02T00:00:00.000Z');
    expect(before).toMatchObject({ name: 'alice' });
    expect(after.status).toBe(401);
    expect(await registry.auth.authenticate(`Bearer ${login}`)).toMatchObject({ name: 'alice' });
  });

  it('keeps working with a cache smaller than the number of tokens in use', async () => {
    // Prepare
    const registry = createHarness(storage(), { tokenCache: { maxEntries: 1 } });
    const first = (await registry.adduser('alice', PASSWORD)).body.token;
    const second = (await registry.adduser('bob', PASSWORD)).body.token;

    // Act
    const names = [];
    for (const token of [first, second, first, second])
      names.push((await registry.auth.authenticate(`Bearer ${token}`))?.name);

    // Assess
    expect(names).toEqual(['alice', 'bob', 'alice', 'bob']);
  });

  it('stores users and tokens under auth/ with nothing secret in clear', async () => {
    // Prepare
    const { registry, login, created } = await aliceWithCreatedToken();

    // Act
    const stored = await registry.snapshot();

    // Assess
    const keys = [...stored.keys()].sort();
    const hashes = [...keys.filter((key) => key.startsWith('auth/tokens/'))].map((key) => key.slice(12, -5));
    expect(keys).toEqual(
      [
        'auth/users/alice.json',
        ...hashes.map((hash) => `auth/tokens/${hash}.json`),
        ...hashes.map((hash) => `auth/user-tokens/alice/${hash}.json`),
      ].sort(),
    );
    expect(hashes.sort()).toEqual(
      [created.key, (await registry.auth.authenticate(`Bearer ${login}`))?.tokenKey].sort(),
    );
    const everything = [...stored.values()].join('\n');
    for (const secret of [PASSWORD, login, created.token, login.slice(12), created.token.slice(12)]) {
      expect(everything).not.toContain(secret);
    }
    expect(JSON.parse(stored.get('auth/users/alice.json') ?? '')).toMatchObject({
      name: 'alice',
      password: { algorithm: 'scrypt', salt: expect.any(String), hash: expect.any(String) },
    });
  });

  it('leaves out of the list an index entry whose token is gone', async () => {
    // Prepare: a token document lost, as after a crash between the two deletes.
    const { registry, login, created } = await aliceWithCreatedToken();
    await storage().delete(`auth/tokens/${created.key}.json`);

    // Act
    const listed = await registry.call('GET', '/-/npm/v1/tokens', { token: login });

    // Assess
    expect(listed.body.total).toBe(1);
    expect(await registry.auth.authenticate(`Bearer ${created.token}`)).toBeUndefined();
  });
  it('records when a token was last used, to the hour, and never brings a revoked token back', async () => {
    // Prepare
    const clock = manualClock();
    const registry = createHarness(storage(), { now: clock.now, tokenCache: { ttlMs: 30_000 } });
    const { token } = (await registry.adduser('alice', PASSWORD)).body;
    const header = `Bearer ${token}`;
    const recordOf = async (of: string) => {
      const stored = await registry.storage.get(`auth/tokens/${hashToken(of)}.json`);
      return stored && (JSON.parse(stored.body.toString('utf8')) as { lastUsed?: string });
    };
    const lastUsed = async () => (await recordOf(token))?.lastUsed;
    const start = clock.now().toISOString();

    // Act + Assess: the first use is recorded; uses within the hour are not written again.
    await registry.auth.authenticate(header);
    expect(await lastUsed()).toBe(start);
    clock.advance(30 * 60_000);
    await registry.auth.authenticate(header);
    expect(await lastUsed()).toBe(start);
    clock.advance(30 * 60_000);
    await registry.auth.authenticate(header);
    expect(await lastUsed()).toBe(clock.now().toISOString());

    // A revoked token used again is refused, and its record is not written back.
    const other = createHarness(storage(), { now: clock.now });
    const { token: second } = (await other.adduser('alice', PASSWORD)).body;
    await other.call('DELETE', '/-/user/token/:token', { params: { token: second } });
    clock.advance(2 * 60 * 60_000);
    expect(await registry.auth.authenticate(`Bearer ${second}`)).toBeUndefined();
    expect(await recordOf(second)).toBeUndefined();
  });
});
