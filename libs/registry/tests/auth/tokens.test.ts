import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, signedUpOnce, storageKinds, storagePerTest } from './harness.ts';

const PASSWORD = 'correct horse';

describe.each(storageKinds)('whoami, logout and tokens on $kind storage', ({ open }) => {
  const storage = storagePerTest(open);
  const alice = signedUpOnce('alice', PASSWORD);
  let registry: Harness;
  let token: string;

  beforeEach(async () => {
    await alice.copyInto(storage());
    registry = createHarness(storage());
    token = alice.token();
  });

  const createToken = (
    body: Record<string, unknown>,
    options: { token?: string; remoteAddress?: string } = {},
  ) =>
    registry.call('POST', '/-/npm/v1/tokens', {
      token: options.token ?? token,
      body,
      remoteAddress: options.remoteAddress,
    });
  const listTokens = (as = token) => registry.call('GET', '/-/npm/v1/tokens', { token: as });
  const revoke = (key: string, as = token) =>
    registry.call('DELETE', '/-/npm/v1/tokens/token/:key', { token: as, params: { key } });

  it('whoami names the token’s user', async () => {
    // Act
    const response = await registry.call('GET', '/-/whoami', { token });

    // Assess
    expect(response).toMatchObject({ status: 200, body: { username: 'alice' } });
  });

  it('whoami answers 401 for no token, an unknown token and Basic credentials', async () => {
    // Act
    const anonymous = await registry.call('GET', '/-/whoami');
    const unknown = await registry.call('GET', '/-/whoami', { token: `${token.slice(0, -4)}AAAA` });
    const garbage = await registry.call('GET', '/-/whoami', { token: 'not-a-token' });
    const basic = await registry.call('GET', '/-/whoami', {
      authorization: `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`,
    });

    // Assess
    for (const response of [anonymous, unknown, garbage, basic]) {
      expect(response.status).toBe(401);
      expect(response.body.error).toMatch(/authentication required/);
    }
  });

  it('logout revokes exactly the token in the path, at once', async () => {
    // Prepare
    const other = (await registry.adduser('alice', PASSWORD)).body.token;
    expect(await registry.auth.authenticate(`Bearer ${token}`)).toBeDefined();

    // Act
    const response = await registry.call('DELETE', '/-/user/token/:token', { token, params: { token } });

    // Assess
    expect(response).toMatchObject({ status: 200, body: { ok: true } });
    expect(await registry.auth.authenticate(`Bearer ${token}`)).toBeUndefined();
    expect((await registry.call('GET', '/-/whoami', { token })).status).toBe(401);
    expect(await registry.auth.authenticate(`Bearer ${other}`)).toMatchObject({ name: 'alice' });
    expect((await listTokens(other)).body.total).toBe(1);
  });

  it('logout of an unknown or already revoked token answers the same 200, so npm can clear its config', async () => {
    // Prepare
    await registry.call('DELETE', '/-/user/token/:token', { params: { token } });

    // Act
    const again = await registry.call('DELETE', '/-/user/token/:token', { params: { token } });
    const garbage = await registry.call('DELETE', '/-/user/token/:token', { params: { token: 'whatever' } });

    // Assess
    expect(again).toMatchObject({ status: 200, body: { ok: true } });
    expect(garbage).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('creates a token once the password is checked again, and shows it only in that answer', async () => {
    // Act
    const created = await createToken({
      password: PASSWORD,
      name: 'ci',
      readonly: false,
      cidr_whitelist: [],
    });
    const listed = await listTokens();

    // Assess
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toMatchObject({
      name: 'ci',
      readonly: false,
      cidr_whitelist: null,
      key: expect.any(String),
    });
    expect(await registry.auth.authenticate(`Bearer ${created.body.token}`)).toMatchObject({
      name: 'alice',
      readOnly: false,
      tokenKey: created.body.key,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(2);
    expect(listed.body.urls).toEqual({});
    const entry = listed.body.objects.find((object: { key: string }) => object.key === created.body.key);
    expect(entry).toMatchObject({
      name: 'ci',
      readonly: false,
      cidr_whitelist: null,
      created: expect.any(String),
    });
    expect(created.body.token.startsWith(entry.token)).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect(JSON.stringify(listed.body)).not.toContain(token);
  });

  it('refuses to create a token with a wrong or missing password', async () => {
    // Act
    const wrong = await createToken({ password: 'battery staple' });
    const missing = await createToken({ readonly: true });

    // Assess
    expect(wrong).toMatchObject({ status: 401, body: { error: 'incorrect username or password' } });
    expect(missing.status).toBe(400);
    expect((await listTokens()).body.total).toBe(1);
  });

  it('makes read-only tokens from readonly (npm-profile) and packages_and_scopes_permission (npm 11)', async () => {
    // Act
    const legacy = await createToken({ password: PASSWORD, readonly: true });
    const granular = await createToken({ password: PASSWORD, packages_and_scopes_permission: 'read-only' });
    const readWrite = await createToken({ password: PASSWORD, packages_and_scopes_permission: 'read-write' });

    // Assess
    expect(legacy.body.readonly).toBe(true);
    expect(granular.body.readonly).toBe(true);
    expect(readWrite.body.readonly).toBe(false);
    expect(await registry.auth.authenticate(`Bearer ${legacy.body.token}`)).toEqual({
      name: 'alice',
      readOnly: true,
      tokenKey: legacy.body.key,
    });
    expect(await registry.auth.authenticate(`Bearer ${granular.body.token}`)).toMatchObject({
      readOnly: true,
    });
  });

  it('lets a read-only token list tokens and revoke itself, but not create or revoke others', async () => {
    // Prepare
    const readOnly = (await createToken({ password: PASSWORD, readonly: true })).body;

    // Act
    const list = await listTokens(readOnly.token);
    const create = await createToken({ password: PASSWORD }, { token: readOnly.token });
    const revokeOther = await revoke(
      list.body.objects.find((o: { key: string }) => o.key !== readOnly.key).key,
      readOnly.token,
    );
    const revokeSelf = await revoke(readOnly.key, readOnly.token);

    // Assess
    expect(list.status).toBe(200);
    expect(create.status).toBe(403);
    expect(revokeOther.status).toBe(403);
    expect(revokeSelf.status).toBe(200);
    expect(await registry.auth.authenticate(`Bearer ${readOnly.token}`)).toBeUndefined();
    expect(await registry.auth.authenticate(`Bearer ${token}`)).toBeDefined();
  });

  it('revokes by key, by key prefix, by the whole token and by its masked start', async () => {
    // Prepare
    const made = [];
    for (let index = 0; index < 4; index += 1) made.push((await createToken({ password: PASSWORD })).body);
    const [byKey, byPrefix, byToken, byMask] = made;

    // Act
    const responses = [
      await revoke(byKey.key),
      await revoke(byPrefix.key.slice(0, 12)),
      await revoke(byToken.token),
      await revoke(byMask.token.slice(0, byMask.token.length - 30)),
    ];

    // Assess
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    for (const revoked of made)
      expect(await registry.auth.authenticate(`Bearer ${revoked.token}`)).toBeUndefined();
    expect((await listTokens()).body.objects.map((o: { key: string }) => o.key)).toHaveLength(1);
  });

  it('refuses an ambiguous id and an id of nothing the caller owns', async () => {
    // Prepare
    const bob = (await registry.adduser('bob', PASSWORD)).body.token;
    const bobsKey = (await listTokens(bob)).body.objects[0].key;
    await createToken({ password: PASSWORD });

    // Act
    const ambiguous = await revoke('myorg_');
    const foreign = await revoke(bobsKey);
    const anonymous = await registry.call('DELETE', '/-/npm/v1/tokens/token/:key', {
      params: { key: bobsKey },
    });
    const nothing = await revoke('ffffffffffff');

    // Assess
    expect(ambiguous.status).toBe(400);
    expect(foreign.status).toBe(404);
    expect(anonymous.status).toBe(401);
    expect(nothing.status).toBe(404);
    expect(await registry.auth.authenticate(`Bearer ${bob}`)).toMatchObject({ name: 'bob' });
    expect((await listTokens()).body.total).toBe(2);
  });

  it('lists only the caller’s own tokens, and nothing for anonymous callers', async () => {
    // Prepare
    const bob = (await registry.adduser('bob', PASSWORD)).body.token;

    // Act
    const alices = await listTokens();
    const bobs = await listTokens(bob);
    const anonymous = await registry.call('GET', '/-/npm/v1/tokens');

    // Assess
    expect(alices.body.total).toBe(1);
    expect(bobs.body.total).toBe(1);
    expect(alices.body.objects[0].key).not.toBe(bobs.body.objects[0].key);
    expect(anonymous.status).toBe(401);
  });

  it('limits a token to its CIDR whitelist, checked against the remote address', async () => {
    // Act
    const created = await createToken(
      { password: PASSWORD, cidr_whitelist: ['10.0.0.0/8', '192.168.1.1/32'] },
      { remoteAddress: '127.0.0.1' },
    );
    const bearer = `Bearer ${created.body.token}`;

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.cidr_whitelist).toEqual(['10.0.0.0/8', '192.168.1.1/32']);
    expect(await registry.auth.authenticate(bearer, '10.20.30.40')).toMatchObject({ name: 'alice' });
    expect(await registry.auth.authenticate(bearer, '::ffff:192.168.1.1')).toMatchObject({ name: 'alice' });
    expect(await registry.auth.authenticate(bearer, '127.0.0.1')).toBeUndefined();
    expect(await registry.auth.authenticate(bearer)).toBeUndefined();
    const listed = (await listTokens()).body.objects.find((o: { key: string }) => o.key === created.body.key);
    expect(listed.cidr_whitelist).toEqual(['10.0.0.0/8', '192.168.1.1/32']);
  });

  it('refuses invalid CIDR lists, and any list where the client address cannot be seen', async () => {
    // Act
    const invalid = await createToken(
      { password: PASSWORD, cidr_whitelist: ['10.0.0.0/33'] },
      { remoteAddress: '10.0.0.1' },
    );
    const notList = await createToken(
      { password: PASSWORD, cidr_whitelist: '10.0.0.0/8' },
      { remoteAddress: '10.0.0.1' },
    );
    const unseen = await createToken({ password: PASSWORD, cidr_whitelist: ['10.0.0.0/8'] });

    // Assess
    expect(invalid).toMatchObject({ status: 400, body: { error: expect.stringMatching(/10\.0\.0\.0\/33/) } });
    expect(notList.status).toBe(400);
    expect(unseen).toMatchObject({ status: 400, body: { error: expect.stringMatching(/client addresses/) } });
    expect((await listTokens()).body.total).toBe(1);
  });

  it('refuses token limits it cannot enforce and fields of the wrong type', async () => {
    // Act
    const statuses = await Promise.all(
      [
        { packages: ['left-pad'] },
        { scopes: ['@myorg'] },
        { orgs: ['myorg'] },
        { packages_and_scopes_permission: 'no-access' },
        { packages_and_scopes_permission: 'everything' },
        { readonly: 'yes' },
        { expires: 0 },
        { expires: 1.5 },
        { name: 42 },
        { description: 'x'.repeat(300) },
      ].map(async (fields) => (await createToken({ password: PASSWORD, ...fields })).status),
    );

    // Assess
    expect(statuses).toEqual(Array(10).fill(400));
    expect((await listTokens()).body.total).toBe(1);
  });

  it('accepts the fields npm 11 sends for an ordinary token', async () => {
    // Act: what `npm token create --name ci --token-description "for CI" --expires 30` sends.
    const created = await createToken({
      name: 'ci',
      password: PASSWORD,
      description: 'for CI',
      packages_all: true,
      expires: 30,
      packages: [],
      orgs: null,
    });

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci', description: 'for CI', expires: expect.any(String) });
    const days = (Date.parse(created.body.expires) - Date.parse(created.body.created)) / 86_400_000;
    expect(days).toBe(30);
  });

  it('shows the whole user document to its owner, only the name to other users, nothing to anonymous callers', async () => {
    // Prepare
    const bob = (await registry.adduser('bob', PASSWORD)).body.token;

    // Act
    const own = await registry.call('GET', '/-/user/:user', {
      params: { user: 'org.couchdb.user:alice' },
      token,
    });
    const foreign = await registry.call('GET', '/-/user/:user', {
      params: { user: 'org.couchdb.user:alice' },
      token: bob,
    });
    const anonymous = await registry.call('GET', '/-/user/:user', {
      params: { user: 'org.couchdb.user:alice' },
    });

    // Assess
    expect(own.status).toBe(200);
    expect(own.body).toEqual({
      _id: 'org.couchdb.user:alice',
      _rev: expect.any(String),
      name: 'alice',
      email: 'alice@example.com',
      type: 'user',
      roles: [],
      date: expect.any(String),
    });
    expect(foreign.status).toBe(200);
    expect(foreign.body).toEqual({ _id: 'org.couchdb.user:alice', name: 'alice' });
    expect(anonymous.status).toBe(404);
  });
});
