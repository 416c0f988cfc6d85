import { json } from '@myorg/response';
import type { RouteHandler } from '../../../http/types.ts';
import { NO_STORE } from '../../authRequests.ts';
import { requirePrincipal } from '../../requirePrincipal.ts';

/** `GET /-/whoami`: the caller's name, and 401 (never an empty 200) for a missing or invalid token. */
export const whoamiHandler: RouteHandler = async (_req, ctx) =>
  json(200, { username: requirePrincipal(ctx).name }, NO_STORE);
