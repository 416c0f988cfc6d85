import { DocumentStore } from '@myorg/database';
import type { ObjectStorage } from '@myorg/storage';
import {
  type TokenIndexEntry,
  type TokenRecord,
  tokenIndexEntrySchema,
  tokenRecordSchema,
} from './records.ts';

/**
 * Tokens as JSON documents in the registry's storage, the same for every auth provider (so several
 * instances on one storage agree):
 *
 * - `auth/tokens/<sha256 of the token>.json`: what a token grants, found by hashing the token;
 * - `auth/user-tokens/<name>/<sha256>.json`: one entry per token of a user, for `npm token list`.
 *
 * A token's index entry is written before the token and removed after it, so a token that can
 * authenticate is always listed (and so can be revoked); an entry whose token is gone is skipped.
 */
export class TokenStore {
  readonly #tokens: DocumentStore<TokenRecord>;
  readonly #index: DocumentStore<TokenIndexEntry>;

  constructor(storage: ObjectStorage) {
    this.#tokens = new DocumentStore(storage, {
      prefix: 'auth/tokens/',
      validate: (v) => tokenRecordSchema.parse(v),
    });
    this.#index = new DocumentStore(storage, {
      prefix: 'auth/user-tokens/',
      validate: (v) => tokenIndexEntrySchema.parse(v),
    });
  }

  async getToken(key: string): Promise<TokenRecord | undefined> {
    return (await this.#tokens.get(key))?.value;
  }

  /**
   * Records that the token was used `at`, unless a use less than `intervalMs` before is recorded. A
   * token revoked meanwhile stays revoked: only a stored token is rewritten, on condition that
   * nobody wrote it in between.
   */
  async recordUse(key: string, at: Date, intervalMs: number): Promise<void> {
    await this.#tokens.update(key, (current) => {
      if (current === undefined || !usedBefore(current.value, at, intervalMs)) return undefined;
      return { ...current.value, lastUsed: at.toISOString() };
    });
  }

  async createToken(record: TokenRecord): Promise<void> {
    await this.#index.create(indexId(record), { created: record.created });
    await this.#tokens.create(record.key, record);
  }

  async deleteToken(record: TokenRecord): Promise<void> {
    await this.#tokens.delete(record.key);
    await this.#index.delete(indexId(record));
  }

  /** The user's tokens, in no particular order. */
  async listTokens(user: string): Promise<TokenRecord[]> {
    const keys: string[] = [];
    for await (const id of this.#index.list(`${user}/`)) keys.push(id.slice(user.length + 1));
    const records = await Promise.all(keys.map((key) => this.getToken(key)));
    return records.filter((record): record is TokenRecord => record?.user === user);
  }
}

/** Whether the token's recorded use, if any, is at least `intervalMs` older than `at`. */
export function usedBefore(record: TokenRecord, at: Date, intervalMs: number): boolean {
  return record.lastUsed === undefined || at.getTime() - Date.parse(record.lastUsed) >= intervalMs;
}

function indexId(record: TokenRecord): string {
  return `${record.user}/${record.key}`;
}
