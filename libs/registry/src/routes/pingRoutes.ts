import { json } from '@myorg/response';
import { anonymousRoute, type Route } from '../http/types.ts';

/** `npm ping`: the registry answers, to anyone. */
export function pingRoutes(): Route[] {
  return [anonymousRoute('GET', '/-/ping', async () => json(200, {}, { 'cache-control': 'no-store' }))];
}
