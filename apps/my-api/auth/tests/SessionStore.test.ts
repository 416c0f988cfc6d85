import { describe, expect, it } from 'vitest';
import { SessionStore } from '../src/SessionStore.ts';

describe('SessionStore', () => {
  it('finds a session by its token until it is revoked', () => {
    // Prepare
    const sessions = new SessionStore({ ttlMs: 60_000 });
    const session = sessions.create('alice');

    // Act
    const found = sessions.lookup(session.token);
    const revoked = sessions.revoke(session.token);

    // Assess
    expect(found).toEqual(session);
    expect(revoked).toBe(true);
    expect(sessions.lookup(session.token)).toBeUndefined();
    expect(sessions.revoke(session.token)).toBe(false);
  });

  it('hands out a different unguessable token for every session', () => {
    const sessions = new SessionStore({ ttlMs: 60_000 });

    const tokens = new Set(Array.from({ length: 50 }, () => sessions.create('alice').token));

    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('lets a session lapse once its time to live has passed', () => {
    // Prepare
    let now = Date.parse('2030-01-01T00:00:00Z');
    const sessions = new SessionStore({ ttlMs: 1000, now: () => now });
    const session = sessions.create('alice');

    // Act
    now += 999;
    const stillValid = sessions.lookup(session.token);
    now += 1;
    const expired = sessions.lookup(session.token);

    // Assess
    expect(session.expiresAt.toISOString()).toBe('2030-01-01T00:00:01.000Z');
    expect(stillValid?.username).toBe('alice');
    expect(expired).toBeUndefined();
  });

  it('refuses a time to live that is not a positive number', () => {
    expect(() => new SessionStore({ ttlMs: 0 })).toThrow(RangeError);
    expect(() => new SessionStore({ ttlMs: Number.NaN })).toThrow(RangeError);
  });
});
