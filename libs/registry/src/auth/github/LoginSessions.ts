import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DocumentStore, type Versioned } from '@myorg/database';
import { isStorageError, type ObjectStorage, StorageErrorCode } from '@myorg/storage';
import { type LoginSession, loginSessionSchema } from './records.ts';

/** How long `npm login` has to finish in the browser. */
export const LOGIN_SESSION_TTL_MS = 10 * 60 * 1000;

export interface StartedLogin {
  id: string;
  /** Goes only into the `doneUrl`; whoever holds it collects the token. */
  secret: string;
  /** The OAuth `state` for GitHub. */
  state: string;
}

/** What polling a login found: its user once it is done (the token is issued then), or why not. */
export type Collected =
  | { status: 'unknown' | 'expired' | 'pending' }
  | { status: 'refused'; reason: string }
  | { status: 'done'; user: string };

/** Web logins in progress, in storage (see `loginSessionSchema`). Knows nothing of HTTP. */
export class LoginSessions {
  readonly #sessions: DocumentStore<LoginSession>;
  readonly #now: () => Date;

  constructor(storage: ObjectStorage, now: () => Date) {
    this.#sessions = new DocumentStore(storage, {
      prefix: 'auth/logins/',
      validate: (v) => loginSessionSchema.parse(v),
    });
    this.#now = now;
  }

  async start(): Promise<StartedLogin> {
    const started = { id: random(16), secret: random(32), state: random(16) };
    await this.#sessions.create(started.id, {
      secretHash: sha256(started.secret),
      state: started.state,
      expires: new Date(this.#now().getTime() + LOGIN_SESSION_TTL_MS).toISOString(),
      status: 'pending',
    });
    return started;
  }

  /** The OAuth `state` of the pending login `id`, for the trip to GitHub; undefined when there is none. */
  async stateOf(id: string): Promise<string | undefined> {
    const stored = await this.#live(id);
    return stored?.value.status === 'pending' ? stored.value.state : undefined;
  }

  /** The pending login `id` when `state` is its own; undefined otherwise (unknown, expired, finished). */
  async pending(id: string, state: string): Promise<Versioned<LoginSession> | undefined> {
    const stored = await this.#live(id);
    if (stored === undefined || stored.value.status !== 'pending') return undefined;
    return equal(stored.value.state, state) ? stored : undefined;
  }

  /** Marks a pending login as signed in by `user`. False when it changed meanwhile. */
  complete(id: string, session: Versioned<LoginSession>, user: string): Promise<boolean> {
    return this.#finish(id, session, { status: 'done', user });
  }

  refuse(id: string, session: Versioned<LoginSession>, reason: string): Promise<boolean> {
    return this.#finish(id, session, { status: 'refused', reason });
  }

  /** A poll of the `doneUrl`: a finished login is answered once, then removed. */
  async collect(id: string, secret: string): Promise<Collected> {
    const stored = await this.#sessions.get(id);
    // A wrong secret learns nothing, not even that the login exists.
    if (stored === undefined || !equal(stored.value.secretHash, sha256(secret))) return { status: 'unknown' };
    const session = stored.value;
    if (this.#expired(session)) {
      await this.#remove(id, stored.version);
      return { status: 'expired' };
    }
    if (session.status === 'pending') return { status: 'pending' };
    // Only the poll that removes the record answers it, so one token is issued per login.
    if (!(await this.#remove(id, stored.version))) return { status: 'unknown' };
    if (session.status === 'refused') return { status: 'refused', reason: session.reason ?? '' };
    if (session.user === undefined) return { status: 'unknown' };
    return { status: 'done', user: session.user };
  }

  /** Removes logins that expired uncollected (an abandoned `npm login`); answers how many. */
  async sweepExpired(): Promise<number> {
    let removed = 0;
    for await (const id of this.#sessions.list()) {
      const stored = await this.#sessions.get(id);
      if (stored !== undefined && this.#expired(stored.value) && (await this.#remove(id, stored.version))) {
        removed += 1;
      }
    }
    return removed;
  }

  async #live(id: string): Promise<Versioned<LoginSession> | undefined> {
    const stored = await this.#sessions.get(id);
    return stored === undefined || this.#expired(stored.value) ? undefined : stored;
  }

  #expired(session: LoginSession): boolean {
    return this.#now().getTime() >= Date.parse(session.expires);
  }

  async #finish(
    id: string,
    session: Versioned<LoginSession>,
    outcome: Partial<LoginSession>,
  ): Promise<boolean> {
    try {
      await this.#sessions.replace(id, { ...session.value, ...outcome }, session.version);
      return true;
    } catch (error) {
      if (isStorageError(error, StorageErrorCode.PRECONDITION)) return false;
      throw error;
    }
  }

  async #remove(id: string, version: string): Promise<boolean> {
    try {
      return await this.#sessions.delete(id, version);
    } catch (error) {
      if (isStorageError(error, StorageErrorCode.PRECONDITION)) return false;
      throw error;
    }
  }
}

/** Ids from callers must look like ours before they reach a storage key. */
export function isLoginId(id: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(id);
}

function random(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
