import type { HttpRequest, RequestContext } from '@myorg/middleware';
import type { HttpResponse } from '@myorg/response';
import type { Principal } from '../auth/Principal.ts';
import type { RegistryEvents } from '../events/RegistryEvents.ts';

/** What every registry handler knows about the request beyond the request itself. */
export interface RegistryContext extends RequestContext {
  /** Who is calling, resolved once per request by the auth provider; undefined when anonymous. */
  principal: Principal | undefined;
  /** The public base URL for this request (no trailing slash): REGISTRY_PUBLIC_URL, or Host / X-Forwarded-*. */
  baseUrl: string;
  /** The request's path below the mount point, as routes match it (without the prefix of `baseUrl`). */
  path: string;
  /** The client's address (`HttpRequest.remoteAddress`), for the audit trail. */
  remoteAddress?: string;
  /** Where the request's events go (`recordEvent`); undefined when the registry records none. */
  events?: RegistryEvents;
}

/**
 * The names of the `:name` parameters of a route pattern: `'/:pkg/-/:file'` → `'pkg' | 'file'`, and
 * a last segment `:pkg@:version` → `'pkg' | 'version'`.
 */
type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<Rest>
  : Path extends `${string}:${infer Name}@:${infer Version}`
    ? Name | Version
    : Path extends `${string}:${infer Name}`
      ? Name
      : never;

/**
 * Path parameters, decoded; `:pkg` holds a full package name, scoped (`@scope/name`) or not. Typed
 * from the pattern, so a handler of `'/:pkg/-/:file'` reads `pkg` and `file` as strings: the router
 * fills exactly the parameters its pattern names.
 */
export type RouteParams<Path extends string = string> = string extends Path
  ? Readonly<Record<string, string>>
  : Readonly<Record<ParamNames<Path>, string>>;

/**
 * One protocol endpoint. `path` is a pattern of literal segments and `:name` parameters; a `:pkg`
 * parameter matches a package name in any of the forms npm sends (`name`, `@scope/name`,
 * `@scope%2fname`), and `:pkg@:version` one followed by `@` and a version.
 */
export interface Route<Path extends string = string> {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  path: Path;
  /**
   * True for the few endpoints a caller without a token must reach on a registry whose reads are
   * private: `npm ping` and the login endpoints that hand out tokens.
   */
  anonymous?: boolean;
  /**
   * True for the routes of one package (`:pkg`): their handlers ask the access policy themselves,
   * whose rules may open a package to callers without a token (`$all`) on a registry whose reads are private.
   */
  packageAccess?: boolean;
  /**
   * True for the routes the web UI's session cookie authenticates (when no `Authorization` is
   * sent): its pages, and the token revocation its script calls with the UI header (`ui/session.ts`).
   */
  session?: boolean;
  // A method, so that a route typed by its pattern fits in a table of `Route`s: the router only ever
  // passes a route the parameters of its own pattern.
  handler(req: HttpRequest, ctx: RegistryContext, params: RouteParams<Path>): Promise<HttpResponse>;
}

export type RouteHandler<Path extends string = string> = Route<Path>['handler'];

/** A route whose handler's parameters are typed from `path`. */
export function route<Path extends string>(
  method: Route['method'],
  path: Path,
  handler: RouteHandler<Path>,
): Route<Path> {
  return { method, path, handler };
}

/** A route open to callers without a token even when reads need one (see `Route.anonymous`). */
export function anonymousRoute<Path extends string>(
  method: Route['method'],
  path: Path,
  handler: RouteHandler<Path>,
): Route<Path> {
  return { method, path, handler, anonymous: true };
}

/** A route about one package, whose handler asks the access policy (see `Route.packageAccess`). */
export function packageRoute<Path extends `${string}:pkg${string}`>(
  method: Route['method'],
  path: Path,
  handler: RouteHandler<Path>,
): Route<Path> {
  return { method, path, handler, packageAccess: true };
}
