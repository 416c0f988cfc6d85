import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLocalAuth } from '@myorg/registry';
import { FileSystemStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/runCli.ts';
import { testDir, testIo } from './support/testIo.ts';

function userExists(dir: string, name: string): Promise<boolean> {
  const storage = new FileSystemStorage(dir);
  return createLocalAuth({ storage, allowRegistration: false }).userExists(name);
}

describe('myorg-admin user add', () => {
  it('creates a user in the registry storage directory and prints a generated password once', async () => {
    // Prepare
    const dir = await testDir();
    const io = testIo(dir);

    // Act
    const code = await runCli(
      ['user', 'add', 'alice', '--email', 'alice@example.test', '--storage', 'data'],
      io,
    );

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toContain(
      `created user alice <alice@example.test> in ${pathToFileURL(join(dir, 'data')).href}`,
    );
    expect(io.out()).toMatch(/^password: [\w-]{24}$/m);
    expect(await userExists(join(dir, 'data'), 'alice')).toBe(true);
  });

  it('takes the storage from REGISTRY_STORAGE and the password from standard input', async () => {
    // Prepare
    const dir = await testDir();
    const io = testIo(dir, { REGISTRY_STORAGE: pathToFileURL(dir).href }, 'correct horse battery\n');

    // Act
    const code = await runCli(['user', 'add', 'bob', '--email', 'bob@example.test', '--password-stdin'], io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).not.toContain('password:');
    expect(await userExists(dir, 'bob')).toBe(true);
  });

  it('refuses a name that is taken, and says so', async () => {
    // Prepare
    const dir = await testDir();
    await runCli(['user', 'add', 'alice', '--email', 'alice@example.test', '--storage', dir], testIo(dir));
    const io = testIo(dir);

    // Act
    const code = await runCli(['user', 'add', 'alice', '--email', 'a@example.test', '--storage', dir], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe('error: there is already a user "alice"\n');
  });

  it('refuses to run without storage, or with storage only the registry process can see', async () => {
    // Prepare
    const dir = await testDir();
    const missing = testIo(dir);
    const memory = testIo(dir);

    // Act
    const withoutStorage = await runCli(['user', 'add', 'alice', '--email', 'a@example.test'], missing);
    const inMemory = await runCli(
      ['user', 'add', 'alice', '--email', 'a@example.test', '--storage', 'memory://'],
      memory,
    );

    // Assess
    expect([withoutStorage, inMemory]).toEqual([1, 1]);
    expect(missing.err()).toMatch(/^error: no registry storage given\nfix: pass --storage/);
    expect(memory.err()).toMatch(/^error: memory:\/\/ storage lives inside the registry process/);
  });

  it('refuses a name npm adduser would refuse, with the same words', async () => {
    const dir = await testDir();
    const io = testIo(dir);

    expect(await runCli(['user', 'add', 'Alice', '--email', 'a@example.test', '--storage', dir], io)).toBe(1);
    expect(io.err()).toContain('invalid user name "Alice": must be lower case');
  });

  it('puts the user in each --group, which access rules name as group:<name>', async () => {
    // Prepare
    const dir = await testDir();
    const io = testIo(dir);
    const args = ['user', 'add', 'alice', '--email', 'a@example.test', '--storage', dir];

    // Act
    const code = await runCli([...args, '--group', 'Platform', '--group', 'ops'], io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toContain('created user alice <a@example.test> (groups: Platform, ops) in');
    const stored = await new FileSystemStorage(dir).get('auth/users/alice.json');
    expect(JSON.parse(stored?.body.toString('utf8') ?? '{}').groups).toEqual(['platform', 'ops']);
  });

  it('refuses a group name an access rule could not name', async () => {
    const dir = await testDir();
    const io = testIo(dir);
    const args = ['user', 'add', 'alice', '--email', 'a@example.test', '--storage', dir];

    expect(await runCli([...args, '--group', 'two words'], io)).toBe(1);
    expect(io.err()).toContain('invalid group name "two words"');
  });
});
