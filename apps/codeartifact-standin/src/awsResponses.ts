import { randomUUID } from 'node:crypto';
import type { HttpResponse } from '@myorg/response';
import { json } from '@myorg/response';
import { AwsServiceError } from './AwsServiceError.ts';

/** A REST-JSON answer with the request id header every AWS response carries. */
export function awsJson(status: number, body: unknown): HttpResponse {
  return json(status, body, { 'x-amzn-requestid': randomUUID() });
}

/** Any failure as a REST-JSON error; anything unexpected is an InternalServerException. */
export function awsErrorResponse(error: unknown): HttpResponse {
  const known =
    error instanceof AwsServiceError
      ? error
      : new AwsServiceError(
          'InternalServerException',
          500,
          error instanceof Error ? error.message : String(error),
        );
  const response = awsJson(known.status, { message: known.message, ...known.fields });
  response.headers['x-amzn-errortype'] = known.type;
  return response;
}

/** Seconds since the epoch, fractional: how REST-JSON carries timestamps in bodies. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}
