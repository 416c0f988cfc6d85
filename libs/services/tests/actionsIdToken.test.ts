import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsIdTokenSource, requestActionsIdToken } from '../src/github/actionsIdToken.ts';
import { listen, type RunningServer } from './helpers/listen.ts';

/**
 * The runner's side only: the exchange with a real registry and the OIDC issuer stand-in is
 * apps/registry's e2e `trustedPublishing.test.ts`.
 */
describe('requestActionsIdToken', () => {
  const requestToken = 'request-token';
  let runner: RunningServer;
  beforeAll(async () => {
    // As GitHub's runner answers ACTIONS_ID_TOKEN_REQUEST_URL: `{count, value}` for its request token.
    runner = await listen((request, response) => {
      const url = new URL(request.url ?? '/', 'http://runner');
      const allowed = request.headers.authorization === `Bearer ${requestToken}`;
      response.writeHead(allowed ? 200 : 401, { 'content-type': 'application/json' });
      const value = `id-token for ${url.searchParams.get('audience')} (${url.searchParams.get('api-version')})`;
      response.end(JSON.stringify(allowed ? { count: 1, value } : { message: 'Bad credentials' }));
    });
  });
  afterAll(async () => {
    await runner?.close();
  });

  it('is offered only when both request variables are set', () => {
    expect(actionsIdTokenSource({ ACTIONS_ID_TOKEN_REQUEST_URL: runner.origin })).toBeUndefined();
    expect(
      actionsIdTokenSource({
        ACTIONS_ID_TOKEN_REQUEST_URL: runner.origin,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
      }),
    ).toEqual({ url: runner.origin, token: 't' });
  });

  it('asks for an id-token of the audience, keeping the query the runner gave', async () => {
    const source = { url: `${runner.origin}/idtoken?api-version=2.0`, token: requestToken };
    expect(await requestActionsIdToken(source, 'npm:registry.test')).toBe(
      'id-token for npm:registry.test (2.0)',
    );
  });

  it('says what to check when the runner refuses', async () => {
    const source = { url: `${runner.origin}/idtoken?api-version=2.0`, token: 'wrong' };
    await expect(requestActionsIdToken(source, 'npm:registry.test')).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('HTTP 401'),
    });
  });
});
