import { createLogger, type Logger, type LogRecord, memorySink } from '@myorg/logger';
import type { HttpRequest } from '../src/index.ts';
import { createRequestContext, type RequestContext } from '../src/index.ts';

/** A request as an adapter would build it; `body` chunks are given as strings for readability. */
export function request(
  overrides: Partial<Omit<HttpRequest, 'body'>> & { body?: string[] } = {},
): HttpRequest {
  const { body, ...rest } = overrides;
  const url = rest.url ?? rest.path ?? '/';
  const queryStart = url.indexOf('?');
  return {
    method: 'GET',
    url,
    path: queryStart === -1 ? url : url.slice(0, queryStart),
    query: new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1)),
    headers: {},
    body: body === undefined ? undefined : chunksOf(body),
    ...rest,
  };
}

export async function* chunksOf(parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

/** A context whose logger records into memory, at the given level. */
export function recordingContext(level: 'debug' | 'info' | 'warn' | 'error' = 'debug'): {
  ctx: RequestContext;
  records: LogRecord[];
} {
  const sink = memorySink();
  const ctx = createRequestContext(createLogger({ level, sink }));
  return { ctx, records: sink.records };
}

/** A logger whose every call throws, to prove logging can never break a request. */
export const throwingLogger: Logger = {
  level: 'debug',
  debug: fail,
  info: fail,
  warn: fail,
  error: fail,
  child: () => throwingLogger,
  isLevelEnabled: () => true,
} as unknown as Logger;

function fail(): never {
  throw new Error('log sink broke');
}
