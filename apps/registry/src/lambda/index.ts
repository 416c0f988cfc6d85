import type { ApiGatewayHttpEvent, ApiGatewayHttpResult } from '@myorg/middleware';
import { startLambda } from './startLambda.ts';

// The AWS Lambda entry (bundled to dist/lambda/index.mjs, handler `index.handler`). The registry is
// built once per container, at the first invocation's cold start, and reused by warm ones. A start
// that failed (bad configuration, a store without conditional writes) fails every invocation with
// the same error, in the function's logs.
const started = startLambda(process.env);
// Handled here so that the failure is reported per invocation, not as an unhandled rejection.
started.catch(() => undefined);

export async function handler(event: ApiGatewayHttpEvent): Promise<ApiGatewayHttpResult> {
  return (await started).handler(event);
}
