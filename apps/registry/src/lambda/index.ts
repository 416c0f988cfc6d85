import type { ApiGatewayHttpEvent, ApiGatewayHttpResult } from '@myorg/middleware';
import { isScheduledEvent, type ScheduledEvent, startLambda } from './startLambda.ts';

// The AWS Lambda entry (bundled to dist/lambda/index.mjs, handler `index.handler`). The registry is
// built once per container, at the first invocation's cold start, and reused by warm ones. A start
// that failed (bad configuration, a store without conditional writes) fails every invocation with
// the same error, in the function's logs.
const started = startLambda(process.env);
// Handled here so that the failure is reported per invocation, not as an unhandled rejection.
started.catch(() => undefined);

/** An API Gateway request, or the schedule that drains pending webhook deliveries. */
export async function handler(
  event: ApiGatewayHttpEvent | ScheduledEvent,
): Promise<ApiGatewayHttpResult | undefined> {
  const lambda = await started;
  if (isScheduledEvent(event)) return void (await lambda.scheduled());
  return lambda.handler(event);
}
