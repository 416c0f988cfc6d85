import { toAppError, toClientBody } from '@myorg/error';
import type { HttpResponse } from './HttpResponse.ts';
import { json } from './responses.ts';

/**
 * The answer for anything thrown: npm prints the `error` field of the JSON body. Only what
 * `toClientBody` deems safe is sent (never a stack or a cause), with the headers the error implies.
 */
export function errorResponse(error: unknown): HttpResponse {
  const appError = toAppError(error);
  // An "error" with a success or redirect status would tell the client the request worked.
  const status = appError.status >= 400 && appError.status <= 599 ? appError.status : 500;
  return json(status, toClientBody(appError), appError.headers);
}
