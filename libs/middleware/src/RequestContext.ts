import type { Logger } from '@myorg/logger';

/** Per-request state shared by middleware and handlers. */
export interface RequestContext {
  /** Empty until the `requestId` middleware (or a transport that has one) sets it. */
  requestId: string;
  logger: Logger;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
  state: Record<string, unknown>;
}

/** A fresh context for one request; every transport adapter starts the pipeline with one. */
export function createRequestContext(logger: Logger, requestId = ''): RequestContext {
  return { requestId, logger, startedAt: performance.now(), state: {} };
}
