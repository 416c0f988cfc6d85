import { describe, expect, it } from 'vitest';
import { expectJsonError } from './support/expectJsonError.ts';
import { publishBody } from './support/fixtures.ts';
import { createUser, type HttpResult, packagePath, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import { snapshotStorage } from './support/storageSnapshot.ts';

const name = 'e2e-small';

/**
 * Requests a maintainer can send that the registry must refuse with a message naming the problem,
 * each leaving storage exactly as it was (issue 12, finding 7).
 */
describe('small refusals against the real server', { timeout: 120_000 }, () => {
  const session = useNpmSession({ label: 'small-refusals', user: 'owner' });

  /** Sends `send`, expects `status` with an error matching `message`, and storage unchanged. */
  async function refused(status: number, message: RegExp, send: () => Promise<HttpResult>): Promise<void> {
    const before = await snapshotStorage(session.server.storage);
    const result = await send();
    expectJsonError(result, status);
    expect((result.json as { error: string }).error).toMatch(message);
    expect(await snapshotStorage(session.server.storage)).toEqual(before);
  }

  async function published(): Promise<{ _rev: string }> {
    const existing = await request(session.server, packagePath(name));
    if (existing.status === 200) return existing.json as { _rev: string };
    const first = await request(session.server, packagePath(name), {
      method: 'PUT',
      token: session.token,
      body: await publishBody(name, '1.0.0'),
    });
    expect(first.status, first.text).toBe(201);
    return (await request(session.server, packagePath(name))).json as { _rev: string };
  }

  it('answers owner add of a user that does not exist with 404, on both owner routes', async () => {
    // Prepare
    const { _rev } = await published();
    const maintainers = [{ name: 'owner', email: 'owner@example.com' }, { name: 'nobody' }];
    const message =
      /^cannot make nobody a maintainer of e2e-small: there is no user "nobody" on this registry$/;

    // Act + Assess
    await refused(404, message, () =>
      request(session.server, `${packagePath(name)}/-rev/${_rev}`, {
        method: 'PUT',
        token: session.token,
        body: { _id: name, _rev, maintainers },
      }),
    );
    await refused(404, message, () =>
      request(session.server, packagePath(name), {
        method: 'PUT',
        token: session.token,
        body: { _id: name, maintainers },
      }),
    );
  });

  it('still adds a user who exists, as npm owner add does', async () => {
    // Prepare
    await published();
    await createUser(session.server, 'helper');

    // Act
    const result = await session.client.npm(['owner', 'add', 'helper', name]);
    const owners = await session.client.npm(['owner', 'ls', name]);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(owners.stdout).toMatch(/^helper /m);
  });

  it.each([
    [
      '__proto__',
      /^invalid dist-tag "__proto__": Tag name must not be a property every object has: __proto__$/,
    ],
    ['constructor', /^invalid dist-tag "constructor": Tag name must not be a property every object has/],
    ['1.0.0', /^invalid dist-tag "1.0.0": Tag name must not be a valid SemVer range: 1.0.0$/],
    ['v1', /^invalid dist-tag "v1": Tag name must not be a valid SemVer range: v1$/],
  ])('refuses the dist-tag %s with 400', async (tag, message) => {
    await published();
    await refused(400, message, () =>
      request(session.server, `/-/package/${name}/dist-tags/${tag}`, {
        method: 'PUT',
        token: session.token,
        body: '"1.0.0"',
      }),
    );
  });

  it('refuses npm dist-tag add of __proto__ and npm publish --tag constructor', async () => {
    // Prepare
    await published();
    const before = await snapshotStorage(session.server.storage);
    const tagged = await session.client.npm(['dist-tag', 'add', `${name}@1.0.0`, '__proto__']);

    // Act
    const publish = await request(session.server, packagePath(name), {
      method: 'PUT',
      token: session.token,
      body: await publishBody(name, '1.0.1', { tag: 'constructor' }),
    });

    // Assess
    expect(tagged.code).not.toBe(0);
    expect(tagged.stderr).toMatch(/E400/);
    expect(tagged.stderr).toMatch(/Tag name must not be a property every object has: __proto__/);
    expectJsonError(publish, 400);
    expect(await snapshotStorage(session.server.storage)).toEqual(before);
  });

  it('names the length limit for a 256-character version, not the storage layout', async () => {
    const version = `1.0.0-${'a'.repeat(250)}`;
    await refused(
      400,
      /^invalid version "1\.0\.0-a+…": version is too long: 256 characters, at most 128 are allowed$/,
      async () =>
        request(session.server, packagePath(name), {
          method: 'PUT',
          token: session.token,
          body: await publishBody(name, version),
        }),
    );
  });

  it('says what _id was sent and what it must be', async () => {
    await refused(
      400,
      /^_id in the body is "someone-else", but a document of package e2e-small must have _id "e2e-small" \(its name\) or none$/,
      async () =>
        request(session.server, packagePath(name), {
          method: 'PUT',
          token: session.token,
          body: { ...(await publishBody(name, '3.0.0')), _id: 'someone-else' },
        }),
    );
  });
});
