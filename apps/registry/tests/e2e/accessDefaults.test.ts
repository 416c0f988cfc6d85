import { describe, expect, it } from 'vitest';
import { adminUserAdd } from './support/adminCli.ts';
import { writePackage } from './support/fixtures.ts';
import type { Answer, NpmClient } from './support/npmClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import type { TestStorage } from './support/testStorage.ts';

const credentials = (name: string, password: string): Answer[] => [
  [/Username:\s*$/, name],
  [/Password:\s*$/, password],
];
const npmLogin = (client: NpmClient, name: string, password: string) =>
  client.npmInteractive(['login'], credentials(name, password));
const npmAdduser = (client: NpmClient, name: string, password: string) =>
  client.npmInteractive(
    ['adduser'],
    [...credentials(name, password), [/Email[^:]*:\s*$/, `${name}@example.com`]],
  );

/** Creates `name` with the admin CLI, logs in with npm and publishes `pkg@1.0.0`; the client keeps the token. */
async function publishAsAdminCreatedUser(
  session: { server: { storage: TestStorage }; client: NpmClient; work: string },
  name: string,
  pkg: string,
): Promise<void> {
  const password = `${name}-password-1`;
  const created = await adminUserAdd(session.server.storage, name, password);
  expect(created.code, created.stderr).toBe(0);
  const login = await npmLogin(session.client, name, password);
  expect(login.code, login.stdout).toBe(0);
  const dir = await writePackage(session.work, { name: pkg, version: '1.0.0' });
  await session.client.npmOk(['publish'], { cwd: dir });
}

describe('a registry with the shipped defaults: closed to sign-ups and anonymous reads', {
  timeout: 180_000,
}, () => {
  const session = useNpmSession({ label: 'access-defaults', server: { access: 'default' } });

  it('answers npm ping without a token', async () => {
    const result = await session.client.npm(['ping']);
    expect(result.code, result.stderr).toBe(0);
  });

  it('refuses npm adduser of a new user with 403, saying how to get an account', async () => {
    // Act
    const result = await npmAdduser(session.client, 'mallory', 'mallory-password-1');

    // Assess
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/E403/);
    expect(result.stdout).toMatch(/registration is closed on this registry/);
    expect(result.stdout).toMatch(/myorg-admin user add mallory/);
    expect(await session.client.savedToken()).toBeUndefined();
  });

  it('lets a user created with myorg-admin user add log in with npm, publish and read', async () => {
    // Act
    await publishAsAdminCreatedUser(session, 'alice', 'access-private');
    const view = await session.client.npm(['view', 'access-private', 'version']);

    // Assess
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout.trim()).toBe('1.0.0');
  });

  it('answers anonymous npm view and npm install with 401 telling to npm login', async () => {
    // Prepare
    await session.client.setToken(undefined);
    const consumer = await writePackage(session.work, { name: 'access-consumer', version: '1.0.0' });

    // Act
    const view = await session.client.npm(['view', 'access-private']);
    const install = await session.client.npm(['install', 'access-private'], { cwd: consumer });

    // Assess
    for (const result of [view, install]) {
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/E401/);
      expect(result.stderr).toMatch(/npm login/);
    }
  });
});

describe('a registry with REGISTRY_PUBLIC_READ=true', { timeout: 180_000 }, () => {
  const session = useNpmSession({
    label: 'access-public-read',
    server: { access: 'default', env: { REGISTRY_PUBLIC_READ: 'true' } },
  });

  it('lets anyone view and install what a user published', async () => {
    // Prepare
    await publishAsAdminCreatedUser(session, 'alice', 'access-public');
    await session.client.setToken(undefined);
    const consumer = await writePackage(session.work, { name: 'access-public-consumer', version: '1.0.0' });

    // Act
    const view = await session.client.npm(['view', 'access-public', 'version']);
    const install = await session.client.npm(['install', 'access-public'], { cwd: consumer });

    // Assess
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout.trim()).toBe('1.0.0');
    expect(install.code, install.stderr).toBe(0);
  });
});

describe('a registry with REGISTRY_ALLOW_REGISTRATION=true', { timeout: 180_000 }, () => {
  const session = useNpmSession({
    label: 'access-registration',
    server: { access: 'default', env: { REGISTRY_ALLOW_REGISTRATION: 'true' } },
  });

  it('lets npm adduser create an account, whose token then reads', async () => {
    // Act
    const adduser = await npmAdduser(session.client, 'carol', 'carol-password-1');
    const whoami = await session.client.npm(['whoami']);

    // Assess
    expect(adduser.code, adduser.stdout).toBe(0);
    expect(whoami.stdout.trim()).toBe('carol');
  });
});
