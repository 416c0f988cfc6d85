import type { Logger } from '@myorg/logger';
import { isStorageError, type ObjectStorage } from '@myorg/storage';
import packageJson from '../../package.json' with { type: 'json' };
import type { UpstreamGateState } from '../upstream/UpstreamGate.ts';
import { ObservabilityMessages } from './messages.ts';

/** Longest wait for storage's answer: a health check must answer while storage hangs. */
const PROBE_TIMEOUT_MS = 2000;
/** How long one probe's result answers every health check, so that frequent checks cannot load storage. */
const PROBE_REUSE_MS = 1000;

export interface StorageHealth {
  status: 'ok' | 'unavailable';
  /** Why storage is unavailable, without paths or bucket names. */
  reason?: string;
  /** When storage was probed (ISO 8601). */
  checkedAt: string;
}

/** `GET /-/health`'s body. */
export interface Health {
  /** `unavailable` when the registry cannot serve (storage unreadable): the endpoint then answers 503. */
  status: 'ok' | 'unavailable';
  /** The version of @myorg/registry. */
  version: string;
  storage: StorageHealth;
  /** The upstream's circuit breaker; absent when nothing is proxied. */
  upstream?: Omit<UpstreamGateState, 'lastFailure'> & { lastFailure?: { at: string; reason: string } };
}

/**
 * Whether the registry can serve: storage answers a listing of one key (probed at most once per
 * `PROBE_REUSE_MS`, concurrent checks sharing it, and given up after `PROBE_TIMEOUT_MS`), and how
 * the upstream fares. An open upstream breaker leaves the registry serving (local packages, held
 * copies), so only storage decides the status.
 */
export class HealthCheck {
  readonly #storage: ObjectStorage;
  readonly #upstream: () => UpstreamGateState | undefined;
  #probe: { startedAt: number; result: Promise<StorageHealth> } | undefined;

  constructor(storage: ObjectStorage, upstream: () => UpstreamGateState | undefined) {
    this.#storage = storage;
    this.#upstream = upstream;
  }

  async check(logger: Logger): Promise<Health> {
    const storage = await this.#storageHealth(logger);
    const health: Health = { status: storage.status, version: packageJson.version, storage };
    const upstream = this.#upstream();
    if (upstream !== undefined) {
      const { lastFailure, ...breaker } = upstream;
      health.upstream =
        lastFailure === undefined
          ? breaker
          : {
              ...breaker,
              lastFailure: { at: new Date(lastFailure.at).toISOString(), reason: lastFailure.reason },
            };
    }
    return health;
  }

  #storageHealth(logger: Logger): Promise<StorageHealth> {
    const now = Date.now();
    if (this.#probe === undefined || now - this.#probe.startedAt >= PROBE_REUSE_MS) {
      this.#probe = { startedAt: now, result: this.#probeStorage(logger) };
    }
    return this.#probe.result;
  }

  async #probeStorage(logger: Logger): Promise<StorageHealth> {
    const checkedAt = new Date().toISOString();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      // Unref'd: a probe in flight never keeps a process (or a Lambda invocation) alive.
      timer = setTimeout(() => reject(new ProbeTimeout()), PROBE_TIMEOUT_MS).unref();
    });
    try {
      await Promise.race([this.#storage.list({ limit: 1 }), timedOut]);
      return { status: 'ok', checkedAt };
    } catch (error) {
      // The full error (paths included) goes to the log; the answer names only its code.
      logger.warn('health check: storage unavailable', { error });
      const reason =
        error instanceof ProbeTimeout
          ? ObservabilityMessages.storageTimedOut(PROBE_TIMEOUT_MS)
          : ObservabilityMessages.storageFailed(errorCode(error));
      return { status: 'unavailable', reason, checkedAt };
    } finally {
      clearTimeout(timer);
    }
  }
}

class ProbeTimeout extends Error {}

/** A storage error's code, a system error's (`ELOOP`, `ECONNREFUSED`) or an SDK error's name. */
function errorCode(error: unknown): string {
  if (isStorageError(error)) return error.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}
