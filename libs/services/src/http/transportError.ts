import { BadGatewayError, GatewayTimeoutError } from '@myorg/error';
import type { AttemptDeadline } from './AttemptDeadline.ts';

/** What a failed attempt was doing, for the message. `target` must already be free of secrets. */
export interface AttemptContext {
  service: string;
  method: string;
  target: string;
  deadline: AttemptDeadline;
}

/**
 * The error for a request that got no usable answer: the caller's own abort reason when the caller
 * cancelled, a 504 `ETIMEDOUT` when the attempt ran out of time, otherwise a 502 keeping the system
 * code (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`) that fetch hides in its `cause` chain.
 */
export function transportError(error: unknown, context: AttemptContext): unknown {
  const { service, method, target, deadline } = context;
  if (deadline.cancelled) return deadline.signal.reason;
  const details = { method, url: target };
  if (deadline.timedOut) {
    return new GatewayTimeoutError(
      `${service} did not answer ${method} ${target} within ${deadline.timeoutMs} ms`,
      {
        code: 'ETIMEDOUT',
        cause: error,
        details,
      },
    );
  }
  const code = systemCode(error) ?? 'ENETWORK';
  return new BadGatewayError(`${service} could not be reached for ${method} ${target}: ${code}`, {
    code,
    cause: error,
    details,
  });
}

/** The first `E...` code along the cause chain, where Node's socket errors keep it. */
function systemCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('E')) return code;
    current = current.cause;
  }
  return undefined;
}
