import { json } from '@myorg/response';
import type { Route } from '../http/types.ts';

/** `npm ping`: the registry answers. */
export function pingRoutes(): Route[] {
  return [
    { method: 'GET', path: '/-/ping', handler: async () => json(200, {}, { 'cache-control': 'no-store' }) },
  ];
}
