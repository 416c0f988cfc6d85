import { randomBytes } from 'node:crypto';
import type { Logger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import type { EventSink, RegistryEvent } from './RegistryEvents.ts';

/**
 * `audit/<YYYY-MM-DD>/<time of writing>-<random>.jsonl`: one object per batch, JSON Lines. Keys sort by
 * the time they were written, which is no earlier than any event inside; the day folder lets a
 * query start at its `since` without listing older days' objects; the random part keeps
 * instances sharing a bucket apart (and the write is `ifNoneMatch: '*'`, so none overwrites another).
 */
export const AUDIT_PREFIX = 'audit/';

export function auditDayPrefix(time: Date): string {
  return `${AUDIT_PREFIX}${time.toISOString().slice(0, 10)}/`;
}

/** The key of a batch written at `time`; compact digits, so keys sort as times do. */
export function auditKey(time: Date, random: string): string {
  return `${auditDayPrefix(time)}${time.toISOString().replace(/[-:.]/g, '')}-${random}.jsonl`;
}

export interface AuditLogOptions {
  storage: ObjectStorage;
  logger: Logger;
  /** Longest an event waits in memory before its batch is written. Defaults to 1 s. */
  flushMs?: number;
  /** A batch this large is written at once. Defaults to 100 events. */
  maxBatch?: number;
  /**
   * Most events held while storage refuses writes; more are dropped (and the drop logged) so an
   * outage cannot exhaust memory. Defaults to 10,000.
   */
  maxPending?: number;
  now?: () => Date;
}

/**
 * The audit trail: events buffered in memory and written to storage in small append-only batches,
 * off the request's path. A failed write keeps its events for the next flush; `close` writes what
 * is left, so a normal stop loses nothing.
 */
export class AuditLog implements EventSink {
  readonly #storage: ObjectStorage;
  readonly #logger: Logger;
  readonly #flushMs: number;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  readonly #now: () => Date;
  #pending: RegistryEvent[] = [];
  #dropped = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Flushes run one after another, so batches never interleave or write an event twice. */
  #writing: Promise<void> = Promise.resolve();

  constructor(options: AuditLogOptions) {
    this.#storage = options.storage;
    this.#logger = options.logger;
    this.#flushMs = options.flushMs ?? 1000;
    this.#maxBatch = options.maxBatch ?? 100;
    this.#maxPending = options.maxPending ?? 10_000;
    this.#now = options.now ?? (() => new Date());
  }

  receive(event: RegistryEvent): void {
    if (this.#pending.length >= this.#maxPending) {
      this.#dropped++;
      return;
    }
    this.#pending.push(event);
    if (this.#pending.length >= this.#maxBatch) void this.flush();
    else this.#schedule();
  }

  flush(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#writeAll());
    return this.#writing;
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length > 0) {
      this.#logger.error('audit events could not be written before the stop', { lost: this.#pending.length });
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    // Unref'd: a pending write never keeps a process alive; `close` writes it on a normal stop.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#flushMs).unref();
  }

  async #writeAll(): Promise<void> {
    if (this.#dropped > 0) {
      this.#logger.error('audit events dropped: storage refused writes for too long', {
        dropped: this.#dropped,
      });
      this.#dropped = 0;
    }
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxBatch);
      const key = auditKey(this.#now(), randomBytes(6).toString('hex'));
      try {
        const body = `${batch.map((event) => JSON.stringify(event)).join('\n')}\n`;
        await this.#storage.put(key, body, { ifNoneMatch: '*', contentType: 'application/x-ndjson' });
      } catch (error) {
        // Kept, in order, for the next try; the timer brings it.
        this.#pending = [...batch, ...this.#pending];
        this.#logger.warn('could not write audit events; retrying', { events: batch.length, error });
        this.#schedule();
        return;
      }
    }
  }
}
