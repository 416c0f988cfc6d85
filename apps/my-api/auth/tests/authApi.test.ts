import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type MemorySink, memorySink } from '@myorg/logger';
import { createNodeListener } from '@myorg/middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthHandler, MAX_BODY_BYTES } from '../src/createAuthHandler.ts';
import { hashPassword } from '../src/password.ts';
import { SessionStore } from '../src/SessionStore.ts';
import { UserDirectory } from '../src/UserDirectory.ts';

describe('auth API over HTTP', () => {
  let server: Server;
  let base: string;
  let sink: MemorySink;

  beforeAll(async () => {
    const users = UserDirectory.parse([
      { username: 'alice', displayName: 'Alice Example', passwordHash: await hashPassword('wonderland') },
    ]);
    sink = memorySink();
    const handler = createAuthHandler({ users, sessions: new SessionStore({ ttlMs: 60_000 }) });
    server = createServer(createNodeListener(handler, { logger: createLogger({ sink, level: 'info' }) }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const signIn = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const me = (token?: string) =>
    fetch(`${base}/me`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  it('signs a user in and tells who the bearer token belongs to', async () => {
    // Act
    const session = await signIn({ username: 'alice', password: 'wonderland' });
    const body = (await session.json()) as {
      token: string;
      tokenType: string;
      expiresAt: string;
      user: unknown;
    };
    const who = await me(body.token);

    // Assess
    expect(session.status).toBe(201);
    expect(session.headers.get('cache-control')).toBe('no-store');
    expect(body.tokenType).toBe('Bearer');
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    expect(body.user).toEqual({ username: 'alice', displayName: 'Alice Example' });
    expect(who.status).toBe(200);
    expect(await who.json()).toEqual({ username: 'alice', displayName: 'Alice Example' });
  });

  it('answers 401 with the same message for a wrong password and an unknown user', async () => {
    const wrongPassword = await signIn({ username: 'alice', password: 'looking-glass' });
    const unknownUser = await signIn({ username: 'mallory', password: 'wonderland' });

    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(await wrongPassword.json()).toEqual({ error: 'invalid username or password', code: 'E401' });
    expect(await unknownUser.json()).toEqual({ error: 'invalid username or password', code: 'E401' });
  });

  it('answers 400 listing what is wrong with the credentials', async () => {
    const response = await signIn({ username: '', extra: true });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; issues: string[] };
    expect(body.code).toBe('EVALIDATION');
    expect(body.issues).toEqual([
      expect.stringMatching(/^username: /),
      expect.stringMatching(/^password: /),
      expect.stringMatching(/^\(root\): .*extra/),
    ]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await signIn('{"username":');

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/not valid JSON/);
  });

  it('answers 415 when the credentials are not sent as JSON', async () => {
    const response = await signIn('username=alice&password=wonderland', {
      'content-type': 'application/x-www-form-urlencoded',
    });

    expect(response.status).toBe(415);
    expect(((await response.json()) as { code: string }).code).toBe('E415');
  });

  it('answers 413 for a body larger than credentials can be', async () => {
    const response = await signIn({ username: 'alice', password: 'x'.repeat(MAX_BODY_BYTES) });

    expect(response.status).toBe(413);
  });

  it('answers 401 with a Bearer challenge when no valid token is sent', async () => {
    const anonymous = await me();
    const forged = await me('not-a-real-token');
    const malformed = await fetch(`${base}/me`, {
      headers: { authorization: 'Basic YWxpY2U6d29uZGVybGFuZA==' },
    });

    for (const response of [anonymous, forged, malformed]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toEqual({ error: 'authentication required', code: 'E401' });
    }
  });

  it('signs out so that the token stops working', async () => {
    // Prepare
    const { token } = (await (await signIn({ username: 'alice', password: 'wonderland' })).json()) as {
      token: string;
    };

    // Act
    const signOut = await fetch(`${base}/sessions/current`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    expect(signOut.status).toBe(204);
    expect((await me(token)).status).toBe(401);
  });

  it('answers 404 for an unknown path and 405 naming the allowed method', async () => {
    const missing = await fetch(`${base}/users`);
    const wrongMethod = await fetch(`${base}/sessions`);

    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no such resource: /users', code: 'E404' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('logs one line per request with its request id, and never the password', async () => {
    // Act
    await signIn({ username: 'alice', password: 'wonderland' }, { 'x-request-id': 'login-42' });

    // Assess
    const line = sink.records.find((record) => record.requestId === 'login-42');
    expect(line).toMatchObject({ method: 'POST', path: '/sessions', status: 201 });
    expect(JSON.stringify(sink.records)).not.toContain('wonderland');
  });
});
