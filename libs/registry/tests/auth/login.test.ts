import { beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_PREFIX } from '../../src/auth/index.ts';
import { PASSWORD_HASH_COST } from '../../src/auth/local/passwordHash.ts';
import {
  basicAuth,
  CHEAP_PASSWORD_HASH_COST,
  createHarness,
  type Harness,
  storageKinds,
  storagePerTest,
} from './harness.ts';

describe.each(storageKinds)('login and adduser on $kind storage', ({ open }) => {
  const storage = storagePerTest(open);
  let registry: Harness;

  beforeEach(async () => {
    registry = createHarness(storage());
  });

  it('registers a new user and answers 201 with a token that authenticates', async () => {
    // Act
    const response = await registry.adduser('alice', 'correct horse');

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toMatchObject({ ok: true, id: 'org.couchdb.user:alice', rev: expect.any(String) });
    expect(response.body.token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(await registry.auth.authenticate(`Bearer ${response.body.token}`)).toMatchObject({
      name: 'alice',
      readOnly: false,
    });
  });

  it('hashes a new password at PASSWORD_HASH_COST unless the provider is given a cost', async () => {
    // Prepare
    const production = createHarness(storage(), { passwordHashCost: undefined });
    const passwordOf = async (name: string) =>
      JSON.parse((await storage().get(`auth/users/${name}.json`))?.body.toString() ?? '{}').password;

    // Act
    await production.adduser('alice', 'correct horse');
    await registry.adduser('bob', 'correct horse');

    // Assess
    expect((await passwordOf('alice')).cost).toBe(PASSWORD_HASH_COST);
    expect((await passwordOf('bob')).cost).toBe(CHEAP_PASSWORD_HASH_COST);
    expect((await production.login('alice', 'correct horse')).status).toBe(201);
  });

  it('logs an existing user in with the right password, with a new token each time', async () => {
    // Prepare
    const first = await registry.adduser('alice', 'correct horse');

    // Act: npm login sends the same document without an email.
    const second = await registry.login('alice', 'correct horse');

    // Assess
    expect(second.status).toBe(201);
    expect(second.body.token).not.toBe(first.body.token);
    expect(await registry.auth.authenticate(`Bearer ${second.body.token}`)).toMatchObject({ name: 'alice' });
    expect(await registry.auth.authenticate(`Bearer ${first.body.token}`)).toMatchObject({ name: 'alice' });
  });

  it('answers npm-profile’s retry: the -rev path with Basic credentials logs in', async () => {
    // Prepare
    const created = await registry.adduser('alice', 'correct horse');

    // Act: the body is merged with the user document, the Basic password is the credential.
    const retry = await registry.call('PUT', '/-/user/:user/-rev/:rev', {
      params: { user: 'org.couchdb.user:alice', rev: created.body.rev },
      authorization: basicAuth('alice', 'correct horse'),
      body: {
        _id: 'org.couchdb.user:alice',
        _rev: created.body.rev,
        name: 'alice',
        password: 'correct horse',
      },
    });
    const wrong = await registry.call('PUT', '/-/user/:user/-rev/:rev', {
      params: { user: 'org.couchdb.user:alice', rev: created.body.rev },
      authorization: basicAuth('alice', 'wrong password'),
      body: { name: 'alice', password: 'correct horse' },
    });
    const otherUser = await registry.call('PUT', '/-/user/:user', {
      params: { user: 'org.couchdb.user:alice' },
      authorization: basicAuth('bob', 'correct horse'),
      body: { name: 'alice', password: 'correct horse' },
    });

    // Assess
    expect(retry.status).toBe(201);
    expect(await registry.auth.authenticate(`Bearer ${retry.body.token}`)).toMatchObject({ name: 'alice' });
    expect(wrong.status).toBe(401);
    expect(otherUser.status).toBe(401);
  });

  it('logs in again while npm still sends the old token, checking the password in the body', async () => {
    // Prepare: npm sends the token from .npmrc with every request, the login PUT included.
    const old = (await registry.adduser('alice', 'correct horse')).body.token;

    // Act
    const right = await registry.call('PUT', '/-/user/:user', {
      params: { user: 'org.couchdb.user:alice' },
      token: old,
      body: { name: 'alice', password: 'correct horse' },
    });
    const wrong = await registry.call('PUT', '/-/user/:user', {
      params: { user: 'org.couchdb.user:alice' },
      token: old,
      body: { name: 'alice', password: 'battery staple' },
    });

    // Assess
    expect(right.status).toBe(201);
    expect(wrong.status).toBe(401);
  });

  it('refuses a wrong password with 401 and issues no token', async () => {
    // Prepare
    await registry.adduser('alice', 'correct horse');
    const before = await registry.snapshot();

    // Act
    const response = await registry.adduser('alice', 'battery staple');

    // Assess
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('incorrect username or password');
    expect(response.body.token).toBeUndefined();
    expect(await registry.snapshot()).toEqual(before);
  });

  it('ignores the case of an existing name when logging in', async () => {
    // Prepare
    await registry.adduser('alice', 'correct horse');

    // Act
    const response = await registry.adduser('Alice', 'correct horse');

    // Assess
    expect(response.status).toBe(201);
    expect(response.body.id).toBe('org.couchdb.user:alice');
    expect(await registry.auth.authenticate(`Bearer ${response.body.token}`)).toMatchObject({
      name: 'alice',
    });
  });

  it('refuses names, passwords and emails that break the rules, storing nothing', async () => {
    // Act
    const upper = await registry.adduser('Alice', 'correct horse');
    const slash = await registry.adduser('a/b', 'correct horse');
    const long = await registry.adduser('a'.repeat(215), 'correct horse');
    const short = await registry.adduser('alice', 'short');
    const huge = await registry.adduser('alice', 'x'.repeat(1025));
    const email = await registry.adduser('alice', 'correct horse', { email: 'not an email' });
    const noPassword = await registry.adduser('alice', '');
    const mismatch = await registry.adduser('alice', 'correct horse', { name: 'bob' });

    // Assess
    expect(upper).toMatchObject({
      status: 400,
      body: { error: 'invalid user name "Alice": must be lower case' },
    });
    expect(slash.status).toBe(400);
    expect(long.status).toBe(400);
    expect(short).toMatchObject({
      status: 400,
      body: { error: 'password must be at least 8 characters long' },
    });
    expect(huge).toMatchObject({
      status: 400,
      body: { error: 'password must be at most 1024 characters long' },
    });
    expect(email.status).toBe(400);
    expect(noPassword).toMatchObject({ status: 400, body: { error: 'password is required' } });
    expect(mismatch.status).toBe(400);
    expect(await registry.snapshot()).toEqual(new Map());
  });

  it('does not create an account on npm login (no email) for an unknown name', async () => {
    // Act: npm login sends no email; npm adduser always does.
    const login = await registry.login('alice', 'correct horse');
    const nullEmail = await registry.adduser('alice', 'correct horse', { email: null });

    // Assess: npm turns a 400 on login into 'There is no user with the username "alice".'
    expect(login).toMatchObject({ status: 400, body: { error: expect.stringMatching(/npm adduser/) } });
    expect(nullEmail.status).toBe(400);
    expect(await registry.snapshot()).toEqual(new Map());
  });

  it('refuses bodies that are not JSON objects', async () => {
    // Act
    const notJson = await registry.call('PUT', '/-/user/:user', {
      params: { user: 'org.couchdb.user:alice' },
      body: '{"name":',
    });
    const array = await registry.call('PUT', '/-/user/:user', {
      params: { user: 'org.couchdb.user:alice' },
      body: [],
    });

    // Assess
    expect(notJson.status).toBe(400);
    expect(array).toMatchObject({ status: 400, body: { error: 'request body must be a JSON object' } });
  });

  it('answers 404 for a user path that is not a CouchDB user id', async () => {
    // Act
    const response = await registry.call('PUT', '/-/user/:user', {
      params: { user: 'alice' },
      body: { name: 'alice', password: 'correct horse' },
    });

    // Assess
    expect(response.status).toBe(404);
  });

  it('registers one user when two adduser calls race for the same name', async () => {
    // Act
    const [first, second] = await Promise.all([
      registry.adduser('alice', 'correct horse'),
      registry.adduser('alice', 'correct horse'),
    ]);

    // Assess: both end logged in as the one user.
    expect([first.status, second.status]).toEqual([201, 201]);
    const keys = [...(await registry.snapshot()).keys()].filter((key) => key.startsWith('auth/users/'));
    expect(keys).toEqual(['auth/users/alice.json']);
  });

  it('refuses the loser of a registration race that used another password', async () => {
    // Act
    const results = await Promise.all([
      registry.adduser('alice', 'correct horse'),
      registry.adduser('alice', 'battery staple'),
    ]);

    // Assess
    expect(results.map((result) => result.status).sort()).toEqual([201, 401]);
  });

  it('offers no web login, so npm falls back to the user name and password prompt', async () => {
    // Act
    const response = await registry.call('POST', '/-/v1/login', { body: { create: true } });

    // Assess: npm-profile treats any 4xx as "web login not supported".
    expect(response.status).toBe(404);
    expect(response.body.error).toMatch(/web login/);
  });
});

describe.each(storageKinds)('registration switched off on $kind storage', ({ open }) => {
  const storage = storagePerTest(open);

  it('refuses unknown users with 403 but still logs existing users in', async () => {
    // Prepare: the user registered while registration was open.
    await createHarness(storage(), { allowRegistration: true }).adduser('alice', 'correct horse');
    const closed = createHarness(storage(), { allowRegistration: false });

    // Act
    const stranger = await closed.adduser('mallory', 'correct horse');
    const strangerLogin = await closed.adduser('mallory', 'correct horse', { email: undefined });
    const alice = await closed.adduser('alice', 'correct horse');

    // Assess
    expect(stranger.status).toBe(403);
    expect(stranger.body.error).toMatch(
      /registration is closed on this registry.*myorg-admin user add mallory/,
    );
    expect(strangerLogin.status).toBe(400);
    expect(alice.status).toBe(201);
    expect(await closed.auth.authenticate(`Bearer ${alice.body.token}`)).toMatchObject({ name: 'alice' });
    const keys = [...(await closed.snapshot()).keys()];
    expect(keys.some((key) => key.includes('mallory'))).toBe(false);
  });
});
