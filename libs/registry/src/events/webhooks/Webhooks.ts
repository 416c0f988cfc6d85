import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import type { EventSink, RegistryAction, RegistryEvent } from '../RegistryEvents.ts';
import {
  addPending,
  HOOKED_ACTIONS,
  hookMatches,
  pendingDeliveries,
  readHooks,
  recordDelivery,
  removePending,
  replacePending,
  type StoredPending,
  type Webhook,
} from './hooks.ts';
import { SIGNATURE_HEADER, signWebhook } from './signWebhook.ts';

export interface WebhooksOptions {
  storage: ObjectStorage;
  logger: Logger;
  /** How long the hook list read from storage is used before it is read again. Defaults to 5 s. */
  reloadMs?: number;
  /** Tries per delivery, the first included. Defaults to 4. */
  maxAttempts?: number;
  /** Wait before the first retry; doubled before each next. Defaults to 2 s. */
  retryDelayMs?: number;
  /** Longest wait for a receiver's answer. Defaults to 10 s. */
  timeoutMs?: number;
  /** Most events being delivered at once; more are dropped (and logged) rather than queued without bound. Defaults to 1,000. */
  maxQueue?: number;
  /** On close, how long running deliveries may go on before they are stopped. Defaults to 2 s. */
  closeGraceMs?: number;
  /**
   * For AWS Lambda, which may freeze the container once an invocation answers: each delivery is
   * stored as pending by `flush` (before the answer), tried once at a time, and its retries are
   * left to `drain` (the next invocations, a scheduled one), which picks up where any container
   * stopped. Without it, deliveries retry in this process.
   */
  durable?: boolean;
}

/**
 * Tells the hooks stored with `myorg-admin hooks add` of each publish, unpublish, deprecation and
 * dist-tag change: a JSON POST signed with the hook's secret (`X-Registry-Signature-256`), retried
 * with backoff, each outcome kept in the hook's delivery log. Runs beside the request, never in
 * it: a dead receiver costs the publish nothing.
 */
export class Webhooks implements EventSink {
  readonly #storage: ObjectStorage;
  readonly #logger: Logger;
  readonly #reloadMs: number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #timeoutMs: number;
  readonly #maxQueue: number;
  readonly #closeGraceMs: number;
  readonly #durable: boolean;
  /** Durable: the events received since the last flush. */
  #received: RegistryEvent[] = [];
  readonly #running = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  #hooks: { list: Promise<Webhook[]>; at: number } | undefined;

  constructor(options: WebhooksOptions) {
    this.#storage = options.storage;
    this.#logger = options.logger;
    this.#reloadMs = options.reloadMs ?? 5000;
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.#retryDelayMs = options.retryDelayMs ?? 2000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxQueue = options.maxQueue ?? 1000;
    this.#closeGraceMs = options.closeGraceMs ?? 2000;
    this.#durable = options.durable ?? false;
  }

  receive(event: RegistryEvent): void {
    if (event.outcome !== 'ok' || !HOOKED_ACTIONS.includes(event.action) || this.#stop.signal.aborted) return;
    if (this.#running.size + this.#received.length >= this.#maxQueue) {
      this.#logger.warn('webhook event dropped: too many deliveries running', { action: event.action });
      return;
    }
    if (this.#durable) this.#received.push(event);
    else this.#beside(this.#deliverAll(event));
  }

  /**
   * Durable: stores a pending delivery per matching hook of the events received, then tries each
   * once beside what follows. Otherwise deliveries already go on beside the requests.
   */
  async flush(): Promise<void> {
    const events = this.#received.splice(0);
    if (events.length === 0) return;
    try {
      const hooks = await this.#currentHooks();
      for (const event of events) {
        for (const hook of hooks.filter((candidate) => hookMatches(candidate, event.package))) {
          const stored = await addPending(this.#storage, {
            hook: hook.id,
            action: event.action,
            package: event.package,
            version: event.version,
            body: deliveryBody(hook, event),
            attempts: 0,
            next: new Date().toISOString(),
            claimedUntil: this.#leaseEnd(),
          });
          this.#beside(this.#attempt(stored));
        }
      }
    } catch (error) {
      this.#logger.error('webhook deliveries could not be stored', { events: events.length, error });
    }
  }

  /**
   * Durable: tries once each pending delivery that is due and that no instance is trying, as this
   * or any container left them; resolves when those attempts are done.
   */
  async drain(): Promise<void> {
    if (!this.#durable) return;
    try {
      const now = new Date().toISOString();
      const attempts: Promise<void>[] = [];
      for await (const pending of pendingDeliveries(this.#storage)) {
        const { next, claimedUntil } = pending.delivery;
        if (next > now || (claimedUntil !== undefined && claimedUntil > now)) continue;
        const claimed = await replacePending(this.#storage, pending, {
          ...pending.delivery,
          claimedUntil: this.#leaseEnd(),
        });
        if (claimed !== undefined) attempts.push(this.#attempt(claimed));
      }
      await Promise.all(attempts);
    } catch (error) {
      this.#logger.error('pending webhook deliveries could not be drained', { error });
    }
  }

  /** Lets running deliveries finish for a moment, then stops them (each logged as failed). */
  async close(): Promise<void> {
    const settled = Promise.allSettled(this.#running);
    await Promise.race([settled, sleep(this.#closeGraceMs, undefined, { ref: false })]);
    this.#stop.abort();
    await settled;
  }

  /** Runs `work` beside the requests, tracked so that `close` can wait for it. */
  #beside(work: Promise<void>): void {
    const running = work.finally(() => this.#running.delete(running));
    this.#running.add(running);
  }

  /** Until when a claim on a pending delivery holds: one attempt, and a margin. */
  #leaseEnd(): string {
    return new Date(Date.now() + this.#timeoutMs + 5000).toISOString();
  }

  /** Wait before the retry after `attempts` tries: doubled each time. */
  #backoff(attempts: number): number {
    return this.#retryDelayMs * 2 ** (attempts - 1);
  }

  /** Durable: one attempt of a claimed pending delivery; then it is done, given up, or due again after the backoff. */
  async #attempt(pending: StoredPending): Promise<void> {
    const { delivery } = pending;
    try {
      const hook = (await this.#currentHooks()).find((candidate) => candidate.id === delivery.hook);
      // A hook removed since is told nothing more.
      if (hook === undefined) return await removePending(this.#storage, pending);
      const result = await this.#post(hook, delivery.action, delivery.body);
      const attempts = delivery.attempts + 1;
      if (isDelivered(result) || attempts >= this.#maxAttempts) {
        await this.#record(hook, delivery, attempts, result);
        return await removePending(this.#storage, pending);
      }
      const next = new Date(Date.now() + this.#backoff(attempts)).toISOString();
      await replacePending(this.#storage, pending, { ...delivery, attempts, next, claimedUntil: undefined });
    } catch (error) {
      // Left pending: its claim runs out, and a later drain tries again.
      this.#logger.warn('a pending webhook delivery failed', { hook: delivery.hook, error });
    }
  }

  async #deliverAll(event: RegistryEvent): Promise<void> {
    try {
      const hooks = (await this.#currentHooks()).filter((hook) => hookMatches(hook, event.package));
      await Promise.all(hooks.map((hook) => this.#deliver(hook, event)));
    } catch (error) {
      this.#logger.error('webhooks could not be delivered', { action: event.action, error });
    }
  }

  /** The hooks, read again once `reloadMs` old, so a change by `myorg-admin hooks` shows within it. */
  #currentHooks(): Promise<Webhook[]> {
    const now = Date.now();
    if (this.#hooks === undefined || now - this.#hooks.at > this.#reloadMs) {
      this.#hooks = { list: readHooks(this.#storage).then(({ hooks }) => hooks), at: now };
      // A failed read is not kept: the next event reads again.
      this.#hooks.list.catch(() => {
        this.#hooks = undefined;
      });
    }
    return this.#hooks.list;
  }

  async #deliver(hook: Webhook, event: RegistryEvent): Promise<void> {
    const body = deliveryBody(hook, event);
    let attempts = 0;
    let result = '';
    while (attempts < this.#maxAttempts && !this.#stop.signal.aborted) {
      if (attempts > 0) {
        await sleep(this.#backoff(attempts), undefined, {
          signal: this.#stop.signal,
          ref: false,
        }).catch(() => undefined);
        if (this.#stop.signal.aborted) break;
      }
      attempts++;
      result = await this.#post(hook, event.action, body);
      if (isDelivered(result)) break;
    }
    await this.#record(hook, event, attempts, result);
  }

  /** Keeps a finished delivery in the hook's log (`hooks ls`); a failure is logged too. */
  async #record(
    hook: Webhook,
    { action, package: name, version }: Pick<RegistryEvent, 'action' | 'package' | 'version'>,
    attempts: number,
    result: string,
  ): Promise<void> {
    const outcome = isDelivered(result) ? 'delivered' : 'failed';
    if (outcome === 'failed') {
      // The hook's id, never its URL (it may carry credentials) nor its secret.
      this.#logger.warn('webhook delivery failed', { hook: hook.id, action, attempts, result });
    }
    const record = {
      hook: hook.id,
      time: new Date().toISOString(),
      action,
      attempts,
      outcome,
      result,
    } as const;
    await recordDelivery(this.#storage, { ...record, package: name, version }).catch((error: unknown) =>
      this.#logger.warn('could not record a webhook delivery', { hook: hook.id, error }),
    );
  }

  /** One POST: the receiver's status, or why there was none. */
  async #post(hook: Webhook, action: RegistryAction, body: string): Promise<string> {
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'myorg-registry-webhooks',
          'x-registry-event': action,
          [SIGNATURE_HEADER]: signWebhook(body, hook.secret),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#stop.signal]),
      });
      await response.body?.cancel();
      return String(response.status);
    } catch (error) {
      if (this.#stop.signal.aborted) return 'stopped';
      if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
      const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
      return typeof cause?.code === 'string' ? cause.code : 'no answer';
    }
  }
}

/** What a hook is sent of an event: a fresh delivery id, the hook, and the event without the client's address or request. */
function deliveryBody(hook: Webhook, event: RegistryEvent): string {
  const { address: _address, requestId: _requestId, ...fields } = event;
  return JSON.stringify({ id: randomUUID(), hook: hook.id, ...fields });
}

function isDelivered(result: string): boolean {
  return /^2\d\d$/.test(result);
}
