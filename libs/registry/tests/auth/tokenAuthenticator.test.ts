import { createLogger, memorySink } from '@myorg/logger';
import { describe, expect, it } from 'vitest';
import { generateToken, hashToken } from '../../src/auth/tokens/accessToken.ts';
import type { TokenRecord } from '../../src/auth/tokens/records.ts';
import { createTokenAuthenticator } from '../../src/auth/tokens/tokenAuthenticator.ts';

/** Tokens of `users`, a counter of storage reads, and a clock the test moves. */
function setUp(
  users: string[],
  cache: { maxEntries: number; ttlMs: number },
  groupsOf?: (user: string) => Promise<readonly string[] | undefined>,
) {
  const records = new Map<string, TokenRecord>();
  const tokens = users.map((user) => {
    const token = generateToken();
    const key = hashToken(token);
    records.set(key, {
      key,
      user,
      masked: token.slice(0, 12),
      name: user,
      readOnly: false,
      cidrWhitelist: [],
      created: new Date(0).toISOString(),
    });
    return token;
  });
  let nowMs = 0;
  const loads: string[] = [];
  const authenticator = createTokenAuthenticator({
    loadToken: async (key) => {
      loads.push(key);
      return records.get(key);
    },
    groupsOf,
    now: () => new Date(nowMs),
    logger: createLogger({ sink: memorySink() }),
    cache,
  });
  const whoIs = async (token: string) => (await authenticator.authenticate(`Bearer ${token}`))?.name;
  return {
    tokens,
    loads,
    whoIs,
    authenticator,
    setNow: (ms: number) => {
      nowMs = ms;
    },
  };
}

describe('token cache of the token authenticator', () => {
  it("resolves the user's groups with the token, and sees them change once the time to live passes", async () => {
    // Prepare
    const groups = new Map([['alice', ['group:ops']]]);
    const { tokens, authenticator, setNow } = setUp(
      ['alice'],
      { maxEntries: 10, ttlMs: 1000 },
      async (user) => groups.get(user),
    );
    const [alice = ''] = tokens;
    const groupsNow = async () => (await authenticator.authenticate(`Bearer ${alice}`))?.groups;

    // Act + Assess
    expect(await groupsNow()).toEqual(['group:ops']);
    groups.set('alice', ['group:ops', 'group:platform']);
    setNow(999);
    expect(await groupsNow()).toEqual(['group:ops']);
    setNow(1000);
    expect(await groupsNow()).toEqual(['group:ops', 'group:platform']);
  });

  it('remembers tokens, known and unknown, until the time to live passes', async () => {
    // Prepare
    const { tokens, loads, whoIs, setNow } = setUp(['alice'], { maxEntries: 10, ttlMs: 1000 });
    const [alice = ''] = tokens;
    const unknown = generateToken();

    // Act + Assess
    expect(await whoIs(alice)).toBe('alice');
    expect(await whoIs(unknown)).toBeUndefined();
    setNow(999);
    expect(await whoIs(alice)).toBe('alice');
    expect(await whoIs(unknown)).toBeUndefined();
    expect(loads).toHaveLength(2);
    setNow(1000);
    expect(await whoIs(alice)).toBe('alice');
    expect(loads).toHaveLength(3);
  });

  it('evicts the least recently used token beyond its bound', async () => {
    // Prepare
    const { tokens, loads, whoIs } = setUp(['a', 'b', 'c'], { maxEntries: 2, ttlMs: 1000 });
    const [a = '', b = '', c = ''] = tokens;
    await whoIs(a);
    await whoIs(b);
    await whoIs(a);

    // Act
    await whoIs(c);
    loads.length = 0;
    await whoIs(a);
    await whoIs(c);
    await whoIs(b);

    // Assess: only b, the least recently used, had to be read again.
    expect(loads).toEqual([hashToken(b)]);
  });

  it('reads a forgotten token again', async () => {
    // Prepare
    const { tokens, loads, whoIs, authenticator } = setUp(['alice'], { maxEntries: 2, ttlMs: 1000 });
    const [alice = ''] = tokens;
    await whoIs(alice);

    // Act
    authenticator.forget(hashToken(alice));
    await whoIs(alice);

    // Assess
    expect(loads).toHaveLength(2);
  });
});
