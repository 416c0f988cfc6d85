import { BadRequestError, ConflictError } from '@myorg/error';
import type { ObjectStorage } from '@myorg/storage';
import { AuthMessages } from '../messages.ts';
import { LocalAuthStore, type StoredUser } from './LocalAuthStore.ts';
import { hashPassword } from './passwordHash.ts';
import type { UserRecord } from './records.ts';
import { userNameProblem } from './userName.ts';

export const MIN_PASSWORD_LENGTH = 8;
/** scrypt's cost does not grow with the input, but nobody needs more, and the body stays small. */
export const MAX_PASSWORD_LENGTH = 1024;
const MAX_EMAIL_LENGTH = 254;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** How users are created, beyond the user itself. */
export interface AddUserOptions {
  now?: Date;
  /** scrypt's cost (N) for the password hash; PASSWORD_HASH_COST unless a test needs cheap hashes. */
  passwordHashCost?: number;
}

export interface NewUser {
  name: string;
  email: string;
  password: string;
  /** Groups access rules can name (`group:<name>`); same rules as user names, any case. */
  groups?: readonly string[];
}

/** `email` when it is an address, else 400. */
export function assertEmail(email: unknown): string {
  if (typeof email !== 'string' || email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) {
    throw new BadRequestError(AuthMessages.invalidEmail);
  }
  return email;
}

/** The groups of a new user, lower case and each once; 400 for a name a rule could not hold. */
function groupNames(groups: readonly string[]): string[] {
  const names = new Set<string>();
  for (const group of groups) {
    const name = group.trim().toLowerCase();
    const problem = userNameProblem(name);
    if (problem !== undefined) throw new BadRequestError(AuthMessages.invalidGroupName(group, problem));
    names.add(name);
  }
  return [...names];
}

/**
 * Checks a new user against the rules every account follows (name, password length, email) and
 * stores it with its password hashed: the user with its revision, or undefined when the name is
 * taken. `npm adduser` (when registration is on) and `myorg-admin user add` both create users here.
 */
export async function addUser(
  store: LocalAuthStore,
  user: NewUser,
  { now = new Date(), passwordHashCost }: AddUserOptions = {},
): Promise<StoredUser | undefined> {
  // Login accepts any case of an existing name; a new name must already be the lower-case one it is stored as.
  const problem = userNameProblem(user.name);
  if (problem !== undefined) throw new BadRequestError(AuthMessages.invalidUserName(user.name, problem));
  if (user.password.length < MIN_PASSWORD_LENGTH)
    throw new BadRequestError(AuthMessages.passwordTooShort(MIN_PASSWORD_LENGTH));
  if (user.password.length > MAX_PASSWORD_LENGTH)
    throw new BadRequestError(AuthMessages.passwordTooLong(MAX_PASSWORD_LENGTH));
  const groups = groupNames(user.groups ?? []);
  const record: UserRecord = {
    name: user.name,
    email: assertEmail(user.email),
    password: await hashPassword(user.password, passwordHashCost),
    created: now.toISOString(),
    ...(groups.length > 0 && { groups }),
  };
  const revision = await store.createUser(record);
  return revision === undefined ? undefined : { user: record, revision };
}

/**
 * Creates a user of the `local` provider directly in the registry's storage, without a running
 * registry: how an administrator opens a closed registry to its first users. 409 when the name is taken.
 */
export async function createLocalUser(
  storage: ObjectStorage,
  user: NewUser,
  options: AddUserOptions = {},
): Promise<void> {
  const stored = await addUser(new LocalAuthStore(storage), user, options);
  if (stored === undefined)
    throw new ConflictError(AuthMessages.userExists(user.name), { code: 'EUSEREXISTS' });
}
