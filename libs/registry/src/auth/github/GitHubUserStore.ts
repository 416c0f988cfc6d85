import { DocumentStore } from '@myorg/database';
import type { ObjectStorage } from '@myorg/storage';
import type { GitHubUser } from './GitHubApi.ts';
import { type GitHubUserRecord, gitHubUserRecordSchema } from './records.ts';

/** GitHub users who have signed in, under `auth/github-users/<login>.json`: who `npm owner add` may name. */
export class GitHubUserStore {
  readonly #users: DocumentStore<GitHubUserRecord>;

  constructor(storage: ObjectStorage) {
    this.#users = new DocumentStore(storage, {
      prefix: 'auth/github-users/',
      validate: (v) => gitHubUserRecordSchema.parse(v),
    });
  }

  async getUser(login: string): Promise<GitHubUserRecord | undefined> {
    return (await this.#users.get(login))?.value;
  }

  /** Records a sign-in: the user's public profile and the time; the first one creates the record. */
  async recordLogin(user: GitHubUser, at: Date): Promise<GitHubUserRecord> {
    const login = user.login.toLowerCase();
    const stored = await this.#users.update(login, (current) => ({
      login,
      ...(user.name === undefined ? {} : { name: user.name }),
      ...(user.email === undefined ? {} : { email: user.email }),
      created: current?.value.created ?? at.toISOString(),
      lastLogin: at.toISOString(),
    }));
    if (stored === undefined) throw new Error(`the sign-in of ${login} was not stored`);
    return stored.value;
  }
}
