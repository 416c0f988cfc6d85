import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createUser, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';

const USER = 'grace';
const PASSWORD = 'grace-Secret-Passw0rd';
const WRONG_PASSWORD = 'grace-Wrong-Passw0rd';

describe('secrets in the registry log', { timeout: 180_000 }, () => {
  const session = useNpmSession({ label: 'secrets', server: { env: { LOG_LEVEL: 'debug' } } });

  it('logs npm login, token create, token revoke and logout without a token or password', async () => {
    // Prepare: an account, and a client that is not logged in.
    const registrationToken = await createUser(session.server, USER, PASSWORD);
    const { client, server } = session;
    const credentials = (password: string) =>
      [
        [/Username:\s*$/, USER],
        [/Password:\s*$/, password],
      ] as const;

    // Act: everything npm does with secrets, and the failures that could echo them.
    const refused = await client.npmInteractive(['login'], credentials(WRONG_PASSWORD));
    const login = await client.npmInteractive(['login'], credentials(PASSWORD));
    const loginToken = await client.savedToken();
    const created = await client.npmOk(['token', 'create', `--password=${PASSWORD}`, '--json']);
    const createdToken = (JSON.parse(created.stdout) as { token: string }).token;
    // Given the whole token, npm puts it in the path: DELETE /-/npm/v1/tokens/token/<token>.
    const revoked = await client.npm(['token', 'revoke', createdToken]);
    const unknownToken = `myorg_${randomBytes(32).toString('base64url')}`;
    const revokeUnknown = await request(server, `/-/npm/v1/tokens/token/${unknownToken}`, {
      method: 'DELETE',
      token: loginToken,
    });
    const malformedLogin = await request(server, `/-/user/org.couchdb.user:${USER}`, {
      method: 'PUT',
      body: `{"name":"${USER}","password":"${PASSWORD}"`,
    });
    // npm logout sends DELETE /-/user/token/<token>.
    const logout = await client.npm(['logout']);

    // Assess: every step did what it should, so each secret crossed the server.
    expect(refused.code).not.toBe(0);
    expect(login.code, login.stdout).toBe(0);
    expect(loginToken).toMatch(/^myorg_/);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revokeUnknown.status).toBe(404);
    expect(revokeUnknown.text).not.toContain(unknownToken);
    expect(malformedLogin.status).toBe(400);
    expect(malformedLogin.text).not.toContain(PASSWORD);
    expect(logout.code, logout.stderr).toBe(0);

    // Assess: the whole log (its first line is still there) names the requests but no secret.
    const log = server.output();
    expect(log).toMatch(/myorg registry listening on/);
    expect(log).toContain('"path":"/-/user/token/[REDACTED]"');
    expect(log).toContain('"path":"/-/npm/v1/tokens/token/[REDACTED]"');
    expect(log).toMatch(/"level":"debug"/);
    for (const secret of [
      PASSWORD,
      WRONG_PASSWORD,
      registrationToken,
      loginToken,
      createdToken,
      unknownToken,
    ]) {
      expect(secret).toEqual(expect.any(String));
      expect(log).not.toContain(secret);
      // Nor its random part alone, in case something strips the prefix.
      expect(log).not.toContain(String(secret).replace(/^myorg_/, ''));
    }
  });
});
