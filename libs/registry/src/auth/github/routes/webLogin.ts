import { ContentType, Header } from '@myorg/constants';
import { AppError, ForbiddenError, isAppError, NotFoundError, UnauthorizedError } from '@myorg/error';
import { json, redirect, text } from '@myorg/response';
import { publicHref } from '../../../http/requestLocation.ts';
import { anonymousRoute, type Route, type RouteHandler } from '../../../http/types.ts';
import { audit, NO_STORE } from '../../authRequests.ts';
import { AuthMessages } from '../../messages.ts';
import { issueLoginToken } from '../../tokens/loginToken.ts';
import type { GitHubAuthDependencies } from '../GitHubAuthDependencies.ts';
import { isLoginId } from '../LoginSessions.ts';
import { signIn } from '../signIn.ts';

const BASE = '/-/myorg/v1/login/github';
/** The OAuth app's callback URL is `<public URL>` + this (README "GitHub sign-in"). */
export const CALLBACK_PATH = `${BASE}/callback`;

/**
 * `npm login` (web, npm's default) and `pnpm login`, through GitHub's OAuth web flow
 * ("Authorizing OAuth apps" in GitHub's docs):
 *
 * 1. `POST /-/v1/login` starts a login in storage and answers `loginUrl` (for the browser) and
 *    `doneUrl` (for npm to poll; it alone carries the login's secret).
 * 2. The browser follows `loginUrl` to GitHub's authorize page, and GitHub sends it back to the
 *    callback with a code; the code is exchanged, GitHub says who it is, the memberships are checked.
 * 3. npm's poll of `doneUrl` gets 202 until then, and the registry's token once.
 */
export function webLoginRoutes(deps: GitHubAuthDependencies): Route[] {
  return [
    anonymousRoute('POST', '/-/v1/login', startHandler(deps)),
    anonymousRoute('GET', `${BASE}/start/:id`, authorizeHandler(deps)),
    anonymousRoute('GET', CALLBACK_PATH, callbackHandler(deps)),
    anonymousRoute('GET', `${BASE}/done/:id`, doneHandler(deps)),
  ];
}

function startHandler(deps: GitHubAuthDependencies): RouteHandler {
  return async (_req, ctx) => {
    const { id, secret } = await deps.sessions.start();
    // The secret goes in the query, which request logs leave out.
    return json(
      200,
      {
        loginUrl: publicHref(ctx.baseUrl, `${BASE}/start/${id}`),
        doneUrl: publicHref(ctx.baseUrl, `${BASE}/done/${id}?secret=${secret}`),
      },
      NO_STORE,
    );
  };
}

function authorizeHandler(deps: GitHubAuthDependencies): RouteHandler<`${typeof BASE}/start/:id`> {
  return async (_req, ctx, params) => {
    const state = isLoginId(params.id) ? await deps.sessions.stateOf(params.id) : undefined;
    if (state === undefined) return page(404, AuthMessages.loginUnknown);
    const authorize = new URL(`${deps.oauth.webUrl}/login/oauth/authorize`);
    authorize.search = new URLSearchParams({
      client_id: deps.oauth.clientId,
      redirect_uri: publicHref(ctx.baseUrl, CALLBACK_PATH),
      // The login's id travels with its random state, so any instance finds the login again.
      state: `${params.id}.${state}`,
      scope: 'read:org',
    }).toString();
    return redirect(302, authorize.href, NO_STORE);
  };
}

function callbackHandler(deps: GitHubAuthDependencies): RouteHandler {
  return async (req, ctx) => {
    const [id = '', state = ''] = (req.query.get('state') ?? '').split('.');
    const session = isLoginId(id) ? await deps.sessions.pending(id, state) : undefined;
    if (session === undefined) return page(400, AuthMessages.loginStateMismatch);
    try {
      // GitHub sends `error` instead of a code when the user declined.
      const code = req.query.get('code');
      if (code === null || code === '') {
        throw new UnauthorizedError(AuthMessages.oauthRefused(req.query.get('error') ?? 'no code'));
      }
      const accessToken = await deps.github.exchangeCode(code, publicHref(ctx.baseUrl, CALLBACK_PATH));
      const user = await deps.github.userFor(accessToken);
      if (user === undefined) throw new UnauthorizedError(AuthMessages.oauthRefused('token not accepted'));
      const login = await signIn(deps, ctx, user);
      if (!(await deps.sessions.complete(id, session, login))) return page(400, AuthMessages.loginUnknown);
      audit(ctx, 'web login approved', { user: login });
      return page(200, AuthMessages.signedInPage(login));
    } catch (error) {
      const refusal = isAppError(error) ? error : undefined;
      if (refusal === undefined) throw error;
      // npm is told too, so it stops polling with the reason instead of waiting for the timeout.
      await deps.sessions.refuse(id, session, refusal.message);
      return page(refusal.status, refusal.message);
    }
  };
}

function doneHandler(deps: GitHubAuthDependencies): RouteHandler<`${typeof BASE}/done/:id`> {
  return async (req, ctx, params) => {
    const secret = req.query.get('secret') ?? '';
    const found = isLoginId(params.id)
      ? await deps.sessions.collect(params.id, secret)
      : ({ status: 'unknown' } as const);
    switch (found.status) {
      case 'pending':
        return json(202, {}, { ...NO_STORE, [Header.RETRY_AFTER]: '1' });
      case 'unknown':
        throw new NotFoundError(AuthMessages.loginUnknown);
      case 'expired':
        throw new AppError(AuthMessages.loginUnknown, { status: 410 });
      case 'refused':
        throw new ForbiddenError(found.reason);
      case 'done':
        return json(
          200,
          { token: await issueLoginToken(deps, ctx, found.user, 'github web login') },
          NO_STORE,
        );
    }
  };
}

/** The small page the browser shows at the end: what happened, and that the terminal carries on. */
function page(status: number, message: string) {
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return text(
    status,
    `<!doctype html><html><head><meta charset="utf-8"><title>npm login</title></head><body><p>${escaped}</p></body></html>`,
    { ...NO_STORE, [Header.CONTENT_TYPE]: ContentType.HTML },
  );
}
