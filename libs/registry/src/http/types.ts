import type { HttpRequest, RequestContext } from '@myorg/middleware';
import type { HttpResponse } from '@myorg/response';
import type { Principal } from '../auth/types.ts';

/** What every registry handler knows about the request beyond the request itself. */
export interface RegistryContext extends RequestContext {
  /** Who is calling, resolved once per request by the auth provider; undefined when anonymous. */
  principal: Principal | undefined;
  /** The public base URL for this request (no trailing slash): REGISTRY_PUBLIC_URL, or Host / X-Forwarded-*. */
  baseUrl: string;
}

/** Path parameters; `:pkg` holds a full package name, scoped (`@scope/name`) or not, already decoded. */
export type RouteParams = Readonly<Record<string, string>>;

export type RouteHandler = (
  req: HttpRequest,
  ctx: RegistryContext,
  params: RouteParams,
) => Promise<HttpResponse>;

/**
 * One protocol endpoint. `path` is a pattern of literal segments and `:name` parameters; a `:pkg`
 * parameter matches a package name in any of the forms npm sends (`name`, `@scope/name`, `@scope%2fname`).
 */
export interface Route {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  handler: RouteHandler;
}
