import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import type { EventSink, RegistryEvent } from '../RegistryEvents.ts';
import { HOOKED_ACTIONS, hookMatches, readHooks, recordDelivery, type Webhook } from './hooks.ts';
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
  }

  receive(event: RegistryEvent): void {
    if (event.outcome !== 'ok' || !HOOKED_ACTIONS.includes(event.action) || this.#stop.signal.aborted) return;
    if (this.#running.size >= this.#maxQueue) {
      this.#logger.warn('webhook event dropped: too many deliveries running', { action: event.action });
      return;
    }
    const running = this.#deliverAll(event).finally(() => this.#running.delete(running));
    this.#running.add(running);
  }

  /** Deliveries go on beside the requests; nothing is held back for a flush. */
  async flush(): Promise<void> {}

  /** Lets running deliveries finish for a moment, then stops them (each logged as failed). */
  async close(): Promise<void> {
    const settled = Promise.allSettled(this.#running);
    await Promise.race([settled, sleep(this.#closeGraceMs, undefined, { ref: false })]);
    this.#stop.abort();
    await settled;
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
    const { address: _address, requestId: _requestId, ...fields } = event;
    const body = JSON.stringify({ id: randomUUID(), hook: hook.id, ...fields });
    let attempts = 0;
    let result = '';
    while (attempts < this.#maxAttempts && !this.#stop.signal.aborted) {
      if (attempts > 0) {
        await sleep(this.#retryDelayMs * 2 ** (attempts - 1), undefined, {
          signal: this.#stop.signal,
          ref: false,
        }).catch(() => undefined);
        if (this.#stop.signal.aborted) break;
      }
      attempts++;
      result = await this.#post(hook, event, body);
      if (/^2\d\d$/.test(result)) break;
    }
    const outcome = /^2\d\d$/.test(result) ? 'delivered' : 'failed';
    if (outcome === 'failed') {
      // The hook's id, never its URL (it may carry credentials) nor its secret.
      this.#logger.warn('webhook delivery failed', { hook: hook.id, action: event.action, attempts, result });
    }
    const record = {
      hook: hook.id,
      time: new Date().toISOString(),
      action: event.action,
      attempts,
      outcome,
      result,
    } as const;
    await recordDelivery(this.#storage, { ...record, package: event.package, version: event.version }).catch(
      (error: unknown) => this.#logger.warn('could not record a webhook delivery', { hook: hook.id, error }),
    );
  }

  /** One POST: the receiver's status, or why there was none. */
  async #post(hook: Webhook, event: RegistryEvent, body: string): Promise<string> {
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'myorg-registry-webhooks',
          'x-registry-event': event.action,
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
