import type { Logger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import { LoginSessions } from '../auth/github/LoginSessions.ts';
import { TarballStore } from './TarballStore.ts';

export interface TemporarySweepOptions {
  storage: ObjectStorage;
  /** Leftovers older than this go; younger ones may belong to a write still running (REGISTRY_TEMPORARY_MAX_AGE). */
  maxAgeMs: number;
  logger: Logger;
}

export interface TemporarySweep {
  /** The sweep made at start, for whoever wants to wait for it. */
  readonly first: Promise<void>;
  /** Stops the periodic sweep; a sweep already running finishes. */
  stop(): void;
}

/**
 * Removes what publishes and writes cut short by a crash left behind: staged tarballs under
 * `pending/`, and the backend's own temporary files. Sweeps at once, then every quarter of
 * `maxAgeMs`, on an unref'd timer that never keeps the process alive. A failed sweep is logged
 * and tried again next time.
 */
export function startTemporarySweep({ storage, maxAgeMs, logger }: TemporarySweepOptions): TemporarySweep {
  const tarballs = new TarballStore(storage);
  let running: Promise<void> | undefined;
  const sweep = async () => {
    try {
      const staged = await tarballs.sweepStaged(maxAgeMs);
      const temporary = (await storage.sweepTemporaryFiles?.(maxAgeMs)) ?? 0;
      // Web logins nobody came back for (GitHub sign-in); each expires on its own after minutes.
      const logins = await new LoginSessions(storage, () => new Date()).sweepExpired();
      if (staged + temporary + logins > 0) {
        logger.info('swept leftovers of interrupted writes', { staged, temporary, logins });
      }
    } catch (error) {
      logger.warn('could not sweep leftovers of interrupted writes', { error });
    }
  };
  const start = () => {
    running ??= sweep().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(start, maxAgeMs / 4);
  timer.unref();
  return { first: start(), stop: () => clearInterval(timer) };
}
