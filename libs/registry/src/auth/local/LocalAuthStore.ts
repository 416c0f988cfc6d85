import { DocumentErrorCode, DocumentStore, isDocumentError } from '@myorg/database';
import type { ObjectStorage } from '@myorg/storage';
import { type UserRecord, userRecordSchema } from './records.ts';

/** A user with the revision it was read at (npm shows it as `rev`). */
export interface StoredUser {
  user: UserRecord;
  revision: string;
}

/** The local provider's users, as JSON documents under `auth/users/<name>.json` (with the scrypt hash of the password). */
export class LocalAuthStore {
  readonly #users: DocumentStore<UserRecord>;

  constructor(storage: ObjectStorage) {
    this.#users = new DocumentStore(storage, {
      prefix: 'auth/users/',
      validate: (v) => userRecordSchema.parse(v),
    });
  }

  async getUser(name: string): Promise<StoredUser | undefined> {
    const stored = await this.#users.get(name);
    return stored && { user: stored.value, revision: stored.version };
  }

  /** Stores a new user and answers its revision, or undefined when the name is taken. */
  async createUser(user: UserRecord): Promise<string | undefined> {
    try {
      return (await this.#users.create(user.name, user)).version;
    } catch (error) {
      if (isDocumentError(error, DocumentErrorCode.EXISTS)) return undefined;
      throw error;
    }
  }
}
