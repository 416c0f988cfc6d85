import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';
import { AppError } from '@myorg/error';
import { createLocalUser } from '@myorg/registry';
import { storageFromUrl } from '@myorg/storage';
import { type CliIo, writeLine } from '../cli/CliIo.ts';

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

/** The storage URL for `--storage`: a URL as REGISTRY_STORAGE holds it, or a directory path. */
function storageLocation(io: CliIo, option: string | undefined): string {
  const location = option ?? io.env.REGISTRY_STORAGE;
  if (location === undefined || location === '') {
    throw new AppError('no registry storage given', {
      details: {
        fix: 'pass --storage <dir or file:///url> (the registry’s REGISTRY_STORAGE), or set REGISTRY_STORAGE',
      },
    });
  }
  if (location.startsWith('memory:')) {
    throw new AppError(
      'memory:// storage lives inside the registry process: no other process can add users to it',
      {
        details: { fix: 'run the registry on file storage, or set REGISTRY_ALLOW_REGISTRATION=true' },
      },
    );
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? location : pathToFileURL(resolve(io.cwd, location)).href;
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
