import { listAll } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { expectJsonError } from './support/expectJsonError.ts';
import { writePackage } from './support/fixtures.ts';
import { createUser, packagePath, request } from './support/httpClient.ts';
import type { Answer, NpmClient } from './support/npmClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import type { TestStorage } from './support/testStorage.ts';

const credentials = (name: string, password: string): Answer[] => [
  [/Username:\s*$/, name],
  [/Password:\s*$/, password],
];
/** `npm adduser` (with `flags`), answering its prompts for `name` as a person would type. */
const npmAdduser = (client: NpmClient, name: string, password: string, flags: string[] = []) =>
  client.npmInteractive(
    ['adduser', ...flags],
    [...credentials(name, password), [/Email[^:]*:\s*$/, `${name}@example.com`]],
  );
/** `npm login` (with `flags`), answering its prompts for `name`. */
const npmLogin = (client: NpmClient, name: string, password: string, flags: string[] = []) =>
  client.npmInteractive(['login', ...flags], credentials(name, password));

describe('npm users and tokens against the registry', { timeout: 120_000 }, () => {
  const session = useNpmSession({ label: 'auth-packages' });

  it('answers npm ping', async () => {
    // Act
    const result = await session.client.npm(['ping']);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/PONG/);
  });

  it('answers whoami without a token with 401 and a JSON error', async () => {
    // Act
    const result = await request(session.server, '/-/whoami');

    // Assess
    expectJsonError(result, 401);
  });

  it('makes npm whoami fail with E401 for a token the registry never issued', async () => {
    // Prepare
    await session.client.setToken('not-a-token-this-registry-issued');

    // Act
    const result = await session.client.npm(['whoami']);

    // Assess
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/E401/);
  });

  it('registers a user with npm adduser, saves the token, and whoami names the user', async () => {
    // Prepare
    await session.client.setToken(undefined);

    // Act
    const added = await npmAdduser(session.client, 'ada', 'ada-password-1');
    const whoami = await session.client.npm(['whoami']);

    // Assess
    expect(added.code, added.stdout).toBe(0);
    expect(added.stdout).toMatch(/Logged in on/);
    expect(await session.client.savedToken()).toEqual(expect.any(String));
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout.trim()).toBe('ada');
  });

  it('registers with npm adduser --auth-type=legacy too', async () => {
    // Prepare
    await session.client.setToken(undefined);

    // Act
    const added = await npmAdduser(session.client, 'lin', 'lin-password-1', ['--auth-type=legacy']);
    const whoami = await session.client.npm(['whoami']);

    // Assess
    expect(added.code, added.stdout).toBe(0);
    expect(whoami.stdout.trim()).toBe('lin');
  });

  it('refuses npm adduser of an existing user with the wrong password and saves no token', async () => {
    // Prepare
    await createUser(session.server, 'grace', 'grace-password-1');
    await session.client.setToken(undefined);

    // Act
    const added = await npmAdduser(session.client, 'grace', 'not-her-password');

    // Assess
    expect(added.code).not.toBe(0);
    expect(added.stdout).toMatch(/E401|E409/);
    expect(await session.client.savedToken()).toBeUndefined();
  });

  it('logs an existing user in with npm login (web login refused, then user name and password)', async () => {
    // Prepare
    await createUser(session.server, 'hopper', 'hopper-password-1');
    await session.client.setToken(undefined);

    // Act
    const login = await npmLogin(session.client, 'hopper', 'hopper-password-1');
    const whoami = await session.client.npm(['whoami']);

    // Assess
    expect(login.code, login.stdout).toBe(0);
    expect(whoami.stdout.trim()).toBe('hopper');
  });

  it('logs in with npm login --auth-type=legacy and gives a new token for each login', async () => {
    // Prepare
    await createUser(session.server, 'turing', 'turing-password-1');
    await session.client.setToken(undefined);
    const first = await npmLogin(session.client, 'turing', 'turing-password-1', ['--auth-type=legacy']);
    const firstToken = await session.client.savedToken();

    // Act
    const second = await npmLogin(session.client, 'turing', 'turing-password-1', ['--auth-type=legacy']);
    const secondToken = await session.client.savedToken();

    // Assess
    expect(first.code, first.stdout).toBe(0);
    expect(second.code, second.stdout).toBe(0);
    expect(firstToken).toEqual(expect.any(String));
    expect(secondToken).toEqual(expect.any(String));
    expect(secondToken).not.toBe(firstToken);
    expect((await session.client.npm(['whoami'])).stdout.trim()).toBe('turing');
  });

  it('refuses npm login with a wrong password (E401) and saves no token', async () => {
    // Prepare
    await createUser(session.server, 'lovelace', 'lovelace-password-1');
    await session.client.setToken(undefined);

    // Act
    const login = await npmLogin(session.client, 'lovelace', 'wrong-password-1');

    // Assess
    expect(login.code).not.toBe(0);
    expect(login.stdout).toMatch(/E401/);
    expect(await session.client.savedToken()).toBeUndefined();
  });

  it('revokes the token on the session.server with npm logout', async () => {
    // Prepare
    const token = await createUser(session.server, 'knuth');
    await session.client.setToken(token);
    expect((await request(session.server, '/-/whoami', { token })).status).toBe(200);

    // Act
    const logout = await session.client.npm(['logout']);

    // Assess
    expect(logout.code, logout.stderr).toBe(0);
    expect(await session.client.savedToken()).toBeUndefined();
    expect((await request(session.server, '/-/whoami', { token })).status).toBe(401);
  });

  it('lists, creates and revokes tokens with npm token', async () => {
    // Prepare
    const loginToken = await createUser(session.server, 'liskov', 'liskov-password-1');
    await session.client.setToken(loginToken);

    // Act
    const created = await session.client.npmOk(['token', 'create', '--password=liskov-password-1', '--json']);
    const newToken = (JSON.parse(created.stdout) as { token: string }).token;
    const listed = await session.client.npmOk(['token', 'list', '--json']);
    const tokens = JSON.parse(listed.stdout) as { key: string; token: string; readonly: boolean }[];
    const newEntry = tokens.find((entry) => newToken.startsWith(entry.token));
    const revoked = await session.client.npmOk(['token', 'revoke', newEntry?.key ?? 'missing']);

    // Assess
    expect(tokens).toHaveLength(2);
    for (const entry of tokens) {
      expect(entry.token.length, 'list shows tokens masked').toBeLessThan(newToken.length);
      expect(entry.readonly).toBe(false);
    }
    expect(newEntry).toBeDefined();
    expect(revoked.stdout).toMatch(/Removed 1 token/);
    expect((await request(session.server, '/-/whoami', { token: newToken })).status).toBe(401);
    expect((await request(session.server, '/-/whoami', { token: loginToken })).status).toBe(200);
    expect(JSON.parse((await session.client.npmOk(['token', 'list', '--json'])).stdout)).toHaveLength(1);
  });

  it('refuses npm token create with a wrong password', async () => {
    // Prepare
    await session.client.setToken(await createUser(session.server, 'dijkstra', 'dijkstra-password-1'));

    // Act
    const created = await session.client.npm(['token', 'create', '--password=wrong-password-1', '--json']);

    // Assess
    expect(created.code).not.toBe(0);
    expect(created.stderr).toMatch(/E401|E403/);
  });

  it.each([
    { name: 'e2e-readonly', user: 'reader' },
    { name: '@e2e/readonly', user: 'scoped-reader' },
  ])(
    'refuses npm publish of $name with a read-only token (E403) but serves reads with it',
    async ({ name, user }) => {
      // Prepare
      const token = await createUser(session.server, user, 'readonly-password-1');
      await session.client.setToken(token);
      const created = await session.client.npmOk([
        'token',
        'create',
        '--password=readonly-password-1',
        '--packages-and-scopes-permission=read-only',
        '--json',
      ]);
      const readOnly = (JSON.parse(created.stdout) as { token: string; readonly: boolean }).token;
      await session.client.setToken(readOnly);
      const dir = await writePackage(session.work, { name, version: '1.0.0' });

      // Act
      const published = await session.client.npm(['publish'], { cwd: dir });

      // Assess
      expect(published.code).not.toBe(0);
      expect(published.stderr).toMatch(/E403/);
      expect(published.stderr).toMatch(/read-only/);
      expect((await session.client.npm(['whoami'])).stdout.trim()).toBe(user);
      expect((await request(session.server, packagePath(name), { token: readOnly })).status).toBe(404);
    },
  );

  it('keeps neither passwords nor tokens in storage in plain text', async () => {
    // Prepare
    await session.client.setToken(undefined);
    await npmAdduser(session.client, 'secretive', 'secretive-password-1');
    const token = (await session.client.savedToken()) ?? 'no token saved';

    // Act
    const stored = await storedText(session.server.storage);

    // Assess
    expect(stored).toContain('secretive');
    expect(stored).not.toContain(token);
    expect(stored).not.toContain('secretive-password-1');
  });

  it("accepts npm-profile's login retry: PUT -rev with Basic credentials", async () => {
    // Prepare: npm-profile sends this after a 409 on the first PUT (the rev comes from the user document).
    await createUser(session.server, 'retrier', 'retrier-password-1');
    const retry = (password: string) =>
      request(session.server, '/-/user/org.couchdb.user:retrier/-rev/1-0', {
        method: 'PUT',
        headers: { authorization: `Basic ${Buffer.from(`retrier:${password}`).toString('base64')}` },
        body: { _id: 'org.couchdb.user:retrier', name: 'retrier', password, type: 'user', roles: [] },
      });

    // Act
    const retried = await retry('retrier-password-1');
    const wrong = await retry('wrong-password-1');

    // Assess
    expect(retried.status, retried.text).toBe(201);
    const token = (retried.json as { token: string }).token;
    expect((await request(session.server, '/-/whoami', { token })).json).toEqual({ username: 'retrier' });
    expectJsonError(wrong, 401);
  });

  it('limits a token to the CIDR ranges given to npm token create --cidr', async () => {
    // Prepare
    await session.client.setToken(await createUser(session.server, 'netadmin', 'netadmin-password-1'));
    const create = async (cidr: string) =>
      (
        JSON.parse(
          (
            await session.client.npmOk([
              'token',
              'create',
              '--password=netadmin-password-1',
              `--cidr=${cidr}`,
              '--json',
            ])
          ).stdout,
        ) as { token: string }
      ).token;
    const loopbackOnly = await create('127.0.0.1/32');
    const elsewhereOnly = await create('10.0.0.0/8');

    // Act
    const fromLoopback = await request(session.server, '/-/whoami', { token: loopbackOnly });
    const fromOutside = await request(session.server, '/-/whoami', { token: elsewhereOnly });

    // Assess
    expect(fromLoopback.json).toEqual({ username: 'netadmin' });
    expect([401, 403]).toContain(fromOutside.status);
  });

  it("refuses npm publish to another user's package with E403", async () => {
    // Prepare
    await session.client.setToken(await createUser(session.server, 'owner'));
    await session.client.npmOk(['publish'], {
      cwd: await writePackage(session.work, { name: '@e2e/owned', version: '1.0.0' }),
    });
    const intruder = await createUser(session.server, 'intruder');
    await session.client.setToken(intruder);

    // Act
    const published = await session.client.npm(['publish'], {
      cwd: await writePackage(session.work, { name: '@e2e/owned', version: '1.0.1' }),
    });
    const tagged = await session.client.npm(['dist-tag', 'add', '@e2e/owned@1.0.0', 'hijacked']);
    const deprecated = await session.client.npm(['deprecate', '@e2e/owned@1.0.0', 'hijacked']);

    // Assess
    for (const [command, result] of Object.entries({ published, tagged, deprecated })) {
      expect(result.code, command).not.toBe(0);
      expect(result.stderr, command).toMatch(/E403/);
    }
    const packument = (await request(session.server, '/@e2e%2fowned')).json as {
      versions: Record<string, { deprecated?: string }>;
      'dist-tags': Record<string, string>;
    };
    expect(Object.keys(packument.versions)).toEqual(['1.0.0']);
    expect(packument['dist-tags']).toEqual({ latest: '1.0.0' });
    expect(packument.versions['1.0.0']?.deprecated).toBeUndefined();
  });

  it('honours readonly: true in a token request, as older npm versions send it', async () => {
    // Prepare
    const token = await createUser(session.server, 'hamilton', 'hamilton-password-1');

    // Act
    const created = await request(session.server, '/-/npm/v1/tokens', {
      method: 'POST',
      token,
      body: { password: 'hamilton-password-1', readonly: true, cidr_whitelist: [] },
    });
    const readOnly = (created.json as { token: string }).token;
    const publish = await request(session.server, '/e2e-readonly-legacy', {
      method: 'PUT',
      token: readOnly,
      body: {},
    });

    // Assess
    expect(created.status).toBeLessThan(300);
    expect(created.json).toMatchObject({ readonly: true });
    expect(publish.status).toBe(403);
  });
});

describe('npm adduser with self-registration switched off', { timeout: 120_000 }, () => {
  const session = useNpmSession({
    label: 'no-registration',
    server: { env: { REGISTRY_ALLOW_REGISTRATION: 'false' } },
  });

  it('refuses to create a user and tells why', async () => {
    // Act
    const added = await npmAdduser(session.client, 'mallory', 'mallory-password-1');

    // Assess
    expect(added.code).not.toBe(0);
    expect(added.stdout).toMatch(/registration is closed on this registry/);
    expect(await session.client.savedToken()).toBeUndefined();
  });
});

/** Every file in storage, concatenated, to look for secrets in plain text. */
async function storedText(storage: TestStorage): Promise<string> {
  const opened = storage.open();
  const texts: string[] = [];
  for await (const { key } of listAll(opened))
    texts.push((await opened.get(key))?.body.toString('latin1') ?? '');
  return texts.join('\n');
}
