import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { createLocalUser } from '@myorg/registry';
import { storageFromUrl } from '@myorg/storage';
import { type CliIo, writeLine } from '../cli/CliIo.ts';
import { storageLocation } from '../storageTools/openStorage.ts';

export interface UserAddOptions {
  email: string;
  /** A directory, or a REGISTRY_STORAGE URL; REGISTRY_STORAGE from the environment when unset. */
  storage?: string;
  /** Read the password from standard input instead of generating one. */
  passwordStdin: boolean;
  /** Groups access rules name as `group:<name>` (`--group`, repeatable). */
  group: string[];
}

/** A generated password: 144 random bits, printable, well over the 8-character minimum. */
function generatedPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * `myorg-admin user add <name>`: creates a user of the registry's `local` provider in its storage,
 * with the same rules as `npm adduser`. How an administrator gives people accounts while
 * registration is closed (the default); the registry may be running, it reads users on each login.
 */
export async function userAdd(io: CliIo, name: string, options: UserAddOptions): Promise<void> {
  const storageUrl = storageLocation(io, options.storage);
  const password = options.passwordStdin ? (await text(io.stdin)).replace(/\r?\n$/, '') : generatedPassword();
  const groups = options.group;
  await createLocalUser(storageFromUrl(storageUrl), { name, email: options.email, password, groups });
  const member = groups.length === 0 ? '' : ` (groups: ${groups.join(', ')})`;
  writeLine(io.stdout, `created user ${name} <${options.email}>${member} in ${storageUrl}`);
  if (!options.passwordStdin) {
    writeLine(io.stdout, `password: ${password}`);
    writeLine(io.stdout, `(shown once: hand it to ${name} privately)`);
  }
  writeLine(io.stdout, `${name} signs in with: npm login --registry <registry URL>`);
}
