import { json } from '@myorg/response';
import { type Route, route } from '../http/types.ts';

/** `npm ping`: the registry answers. */
export function pingRoutes(): Route[] {
  return [route('GET', '/-/ping', async () => json(200, {}, { 'cache-control': 'no-store' }))];
}
