import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CommandResult } from './npmClient.ts';
import { fromBundles, workspaceRoot } from './registryServer.ts';
import type { TestStorage } from './testStorage.ts';

/** `myorg-admin` as `npx` runs it (its TypeScript sources), or its bundle (`fromBundles`). */
const adminBin = join(
  workspaceRoot,
  fromBundles ? 'apps/admin/dist/main.js' : 'apps/admin/bin/myorg-admin.js',
);
const timeoutMs = 60_000;

/**
 * `myorg-admin user add <name> --email <name>@example.com --storage <url> --password-stdin` (and a
 * `--group` for each of `groups`), as an administrator opens a closed registry to a user.
 */
export async function adminUserAdd(
  storage: TestStorage,
  name: string,
  password: string,
  groups: readonly string[] = [],
): Promise<CommandResult> {
  const args = ['user', 'add', name, '--email', `${name}@example.com`, '--storage', storage.url];
  for (const group of groups) args.push('--group', group);
  return await runAdmin(storage, [...args, '--password-stdin'], `${password}\n`);
}

/**
 * The real `myorg-admin` CLI in its own process with `args`, with the storage's environment (such as
 * the S3 endpoint), `input` on its standard input.
 */
export async function runAdmin(
  storage: TestStorage,
  args: readonly string[],
  input = '',
): Promise<CommandResult> {
  return await new Promise((done, fail) => {
    const child = spawn(process.execPath, [adminBin, ...args], {
      cwd: workspaceRoot,
      env: { ...process.env, ...storage.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
