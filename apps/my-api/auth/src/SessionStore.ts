import { createHash, randomBytes } from 'node:crypto';

export interface Session {
  /** The bearer token; handed out once and kept only as a SHA-256 digest. */
  token: string;
  username: string;
  expiresAt: Date;
}

export interface SessionStoreOptions {
  ttlMs: number;
  /** The clock, for tests that let sessions expire. */
  now?: () => number;
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/** In-memory sessions: enough for one instance of the service; a fleet would keep them in a database. */
export class SessionStore {
  readonly #sessions = new Map<string, { username: string; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor({ ttlMs, now = Date.now }: SessionStoreOptions) {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0)
      throw new RangeError(`session TTL must be positive, got ${ttlMs}`);
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  create(username: string): Session {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.#now() + this.#ttlMs;
    this.#sessions.set(digest(token), { username, expiresAt });
    return { token, username, expiresAt: new Date(expiresAt) };
  }

  /** The live session for a token; an expired one is dropped on the way. */
  lookup(token: string): Session | undefined {
    const key = digest(token);
    const session = this.#sessions.get(key);
    if (session === undefined) return undefined;
    if (this.#now() >= session.expiresAt) {
      this.#sessions.delete(key);
      return undefined;
    }
    return { token, username: session.username, expiresAt: new Date(session.expiresAt) };
  }

  revoke(token: string): boolean {
    return this.#sessions.delete(digest(token));
  }
}
