import { ContentType, Header } from '@myorg/constants';
import { BadRequestError, ForbiddenError, isAppError, NotFoundError, UnauthorizedError } from '@myorg/error';
import type { HttpRequest } from '@myorg/middleware';
import { json, redirect, sendPrepared, text } from '@myorg/response';
import type { AccessPolicy } from '../access/AccessPolicy.ts';
import { NO_STORE, readAuthBody } from '../auth/authRequests.ts';
import { tokensOf } from '../auth/tokens/routes/listTokens.ts';
import { logoutHandler } from '../auth/tokens/routes/logout.ts';
import type { AuthProvider } from '../auth/types.ts';
import { publicHref } from '../http/requestLocation.ts';
import { anonymousRoute, type RegistryContext, type Route, type RouteHandler } from '../http/types.ts';
import type { SupplyChainPolicy } from '../policy/SupplyChainPolicy.ts';
import { readableBy } from '../routes/searchRoutes.ts';
import type { SearchIndex } from '../search/SearchIndex.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import type { TarballStore } from '../storage/TarballStore.ts';
import { upstreamFor } from '../upstream/proxiedResponses.ts';
import type { UpstreamProxy } from '../upstream/UpstreamProxy.ts';
import type { UiAssets } from './assets/uiAssets.ts';
import type { Html } from './html.ts';
import { UiMessages } from './messages.ts';
import { type PackageView, packageView, servedPackageView } from './packageView.ts';
import {
  accountPage,
  errorPage,
  layout,
  type PageFrame,
  packagePage,
  searchPage,
  signInPage,
} from './pages.ts';
import { renderReadme } from './renderReadme.ts';
import { clearedSessionCookie, isUiRequest, sessionCookie, sessionToken } from './session.ts';

const PAGE_SIZE = 20;
/** The largest `from` a search page takes: deeper pages are for the API. */
const MAX_FROM = 10_000;
const YEAR_SECONDS = 365 * 24 * 60 * 60;

// Pages differ per viewer and must never be cached for another; the policy forbids anything but
// this origin's script and style, so even markup that slipped past the sanitiser would run nothing.
const PAGE_HEADERS = {
  [Header.CONTENT_TYPE]: ContentType.HTML,
  [Header.CACHE_CONTROL]: 'private, no-cache',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
} as const;

export interface UiDependencies {
  search: SearchIndex;
  packuments: PackumentRepository;
  tarballs: TarballStore;
  access: AccessPolicy;
  auth: AuthProvider;
  assets: UiAssets;
  publicRead: boolean;
  /** Packages not published here are shown from the upstream, as the JSON routes serve them. */
  upstream: UpstreamProxy | undefined;
  policy: SupplyChainPolicy;
}

export interface UiRoutes {
  /**
   * Browser navigations (`Accept: text/html`): `/` and `/package/<name>`. Tried before the protocol
   * routes only for such requests, so `GET /package/<tag>` of a package called `package` is npm's as before.
   */
  pages: Route[];
  /** Everything under `/-/ui/`: assets, sign-in, the account page, the session. */
  routes: Route[];
}

/** Whether a request is a browser's page navigation rather than an npm client's call. */
export function wantsPage(req: HttpRequest): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
}

/** The web UI (README "Web UI"): server-rendered pages over the same search index, packuments and access policy as the API. */
export function uiRoutes(deps: UiDependencies): UiRoutes {
  const { search, packuments, tarballs, access, auth, assets, upstream, policy } = deps;
  const frameOf = (ctx: RegistryContext, query?: string): PageFrame => ({
    baseUrl: ctx.baseUrl,
    viewer: ctx.principal?.name,
    style: assets.style,
    script: assets.script,
    query,
  });
  const page = (ctx: RegistryContext, title: string, body: Html, query?: string, status = 200) =>
    text(status, layout(frameOf(ctx, query), title, body).markup, PAGE_HEADERS);

  /** A page handler whose refusals are pages too: sign-in for 401, the message for the rest. */
  function pageRoute<Path extends string>(path: Path, handler: RouteHandler<Path>): Route<Path> {
    return {
      ...anonymousRoute('GET', path, async (req, ctx, params) => {
        try {
          // The caller must be in the provider's required groups, as for every API route.
          if (ctx.principal !== undefined) access.recheck(ctx, 'read');
          return await handler(req, ctx, params);
        } catch (error) {
          if (!isAppError(error)) throw error;
          if (error.status === 401) {
            // Back to this page after sign-in: its path below the mount point, which the script puts under the base URL.
            const next = new URLSearchParams({ next: ctx.path + req.url.slice(req.path.length) }).toString();
            return redirect(302, publicHref(ctx.baseUrl, `/-/ui/signin?${next}`), NO_STORE);
          }
          return page(
            ctx,
            String(error.status),
            errorPage(error.status, error.message),
            undefined,
            error.status,
          );
        }
      }),
      session: true,
    };
  }

  /** Refuses an anonymous visitor (401: a sign-in redirect) when reads need a token, as the API does. */
  function mayBrowse(ctx: RegistryContext): void {
    if (!deps.publicRead && ctx.principal === undefined)
      throw new UnauthorizedError(UiMessages.tokenRequired);
  }

  const home = pageRoute('/', async (req, ctx) => {
    mayBrowse(ctx);
    const text = (req.query.get('q') ?? '').trim();
    // A page link, so anything that is not a sensible number means the first page.
    const start = Math.min(Math.max(0, Number.parseInt(req.query.get('from') ?? '', 10) || 0), MAX_FROM);
    const result = await search.search(
      { text, size: PAGE_SIZE, from: start },
      ctx.baseUrl,
      readableBy(access, ctx.principal),
    );
    return page(
      ctx,
      UiMessages.searchHeading(text),
      searchPage(frameOf(ctx), text, start, PAGE_SIZE, result),
      text,
    );
  });

  /**
   * The view of a package published here or of one the upstream has, as its JSON route serves it
   * (through the proxy, without what the supply-chain policy withholds); undefined when there is none.
   */
  async function viewOf(
    name: string,
    baseUrl: string,
  ): Promise<{ view: PackageView | undefined; local: boolean }> {
    const proxy = await upstreamFor(upstream, packuments, name);
    if (proxy === undefined) {
      const packument = await packuments.read(name);
      if (packument === undefined) return { view: undefined, local: true };
      const rules = await policy.rulesFor(name, 'local');
      const view =
        rules === undefined
          ? packageView(packument)
          : servedPackageView(rules.withhold({ ...packument }, packument.time));
      return { view, local: true };
    }
    const found = await proxy.document(name, baseUrl, await policy.rulesFor(name, 'upstream'));
    return { view: found && servedPackageView(found.document), local: false };
  }

  const packageRoute = pageRoute('/package/:pkg', async (_req, ctx, { pkg: name }) => {
    await access.assertRead(ctx, name, () => packuments.read(name));
    const { view, local: isLocal } = await viewOf(name, ctx.baseUrl);
    if (view === undefined) throw new NotFoundError(UiMessages.noSuchPage);
    const readable = readableBy(access, ctx.principal);
    const dist = view.latest?.dist;
    const [dependents, tarball] = await Promise.all([
      search.dependents(name, readable),
      // Only when the manifest does not say how large the package is, and it is stored here.
      isLocal && view.latest !== undefined && dist !== undefined && dist.unpackedSize === undefined
        ? tarballs.head(name, view.latest.version, dist.shasum)
        : undefined,
    ]);
    const local = new Set<string>();
    await Promise.all(
      view.dependencies.map(async ({ name: dependency }) => {
        const stored = await packuments.read(dependency);
        if (stored !== undefined && access.mayRead(ctx.principal, dependency, stored)) local.add(dependency);
      }),
    );
    const body = packagePage(frameOf(ctx), {
      view,
      readme: view.readme === undefined ? undefined : renderReadme(view.readme),
      dependents,
      local,
      tarballBytes: tarball?.size,
    });
    return page(ctx, name, body);
  });
  // The package's rules may open it to callers without a token: the handler asks the policy.
  packageRoute.packageAccess = true;

  const signIn = pageRoute('/-/ui/signin', async (_req, ctx) =>
    page(ctx, UiMessages.signInHeading, signInPage(auth.name)),
  );

  const account = pageRoute('/-/ui/account', async (_req, ctx) => {
    const principal = ctx.principal;
    if (principal === undefined) throw new UnauthorizedError(UiMessages.tokenRequired);
    const mine = await search.search(
      { text: `maintainer:${principal.name}`, size: 250, from: 0 },
      ctx.baseUrl,
      readableBy(access, principal),
    );
    const tokens = auth.tokens === undefined ? undefined : await tokensOf(auth.tokens, principal.name);
    const body = accountPage(
      frameOf(ctx),
      principal.name,
      mine.objects.map((hit) => hit.package.name),
      tokens,
      principal.tokenKey,
    );
    return page(ctx, principal.name, body);
  });

  const asset = anonymousRoute('GET', '/-/ui/assets/:file', async (req, _ctx, { file }) => {
    const body = assets.byName.get(file);
    if (body === undefined) throw new NotFoundError(UiMessages.noSuchPage);
    return sendPrepared(body, req.headers, {
      method: req.method,
      headers: { [Header.CACHE_CONTROL]: `public, max-age=${YEAR_SECONDS}, immutable` },
    });
  });

  // The browser's end of sign-in: the token the provider's npm login flow handed the UI's script
  // becomes an HttpOnly cookie, after which no script holds it.
  const startSession = anonymousRoute('POST', '/-/ui/session', async (req, ctx) => {
    if (!isUiRequest(req, ctx.baseUrl)) throw new ForbiddenError(UiMessages.uiHeaderRequired);
    const { token } = await readAuthBody(req);
    if (typeof token !== 'string') throw new BadRequestError(UiMessages.tokenRequired);
    const principal = await auth.authenticate(`Bearer ${token}`, req.remoteAddress);
    if (principal === undefined) throw new UnauthorizedError(UiMessages.notSignedIn);
    return json(
      200,
      { ok: true, username: principal.name },
      {
        ...NO_STORE,
        [Header.SET_COOKIE]: sessionCookie(token, ctx.baseUrl),
      },
    );
  });

  const logout = auth.tokens === undefined ? undefined : logoutHandler(auth.tokens);
  // Signing out revokes the session's token, as `npm logout` does, and drops the cookie.
  const endSession = anonymousRoute('POST', '/-/ui/logout', async (req, ctx) => {
    if (!isUiRequest(req, ctx.baseUrl)) throw new ForbiddenError(UiMessages.uiHeaderRequired);
    const token = sessionToken(req);
    if (token !== undefined && logout !== undefined) await logout(req, ctx, { token });
    return json(200, { ok: true }, { ...NO_STORE, [Header.SET_COOKIE]: clearedSessionCookie(ctx.baseUrl) });
  });

  return {
    pages: [home, packageRoute],
    routes: [signIn, account, asset, startSession, endSession],
  };
}
