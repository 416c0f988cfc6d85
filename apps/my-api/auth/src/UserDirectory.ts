import { parseConfig, z } from '@myorg/validation';
import { hashPassword, PASSWORD_HASH_PATTERN, verifyPassword } from './password.ts';

const userSchema = z.object({
  username: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { error: 'lower-case letters, digits, ".", "_" or "-"' }),
  displayName: z.string().min(1).max(100),
  passwordHash: z
    .string()
    .regex(PASSWORD_HASH_PATTERN, { error: 'expected a scrypt hash from hashPassword' }),
});

const userListSchema = z.array(userSchema).superRefine((users, ctx) => {
  const seen = new Set<string>();
  users.forEach((user, index) => {
    if (seen.has(user.username)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'username'],
        message: `duplicate user "${user.username}"`,
      });
    }
    seen.add(user.username);
  });
});

export type User = z.infer<typeof userSchema>;

/** The users who may sign in, with their password hashes. */
export class UserDirectory {
  readonly #users: Map<string, User>;
  // Checked when the user is unknown, so that a wrong name costs as long as a wrong password.
  readonly #decoy: Promise<string>;

  constructor(users: readonly User[]) {
    this.#users = new Map(users.map((user) => [user.username, user]));
    this.#decoy = hashPassword('decoy');
  }

  /** Builds a directory from untrusted input (a JSON file); every problem is reported at once. */
  static parse(input: unknown): UserDirectory {
    return new UserDirectory(parseConfig(userListSchema, input, 'user list'));
  }

  get(username: string): User | undefined {
    return this.#users.get(username);
  }

  /** The user when the password matches, otherwise undefined, for unknown names as well. */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const user = this.#users.get(username);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.#decoy));
    return user !== undefined && matches ? user : undefined;
  }
}
