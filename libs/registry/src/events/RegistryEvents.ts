import type { Logger } from '@myorg/logger';
import type { AccessAction } from '../access/AccessPolicy.ts';
import type { Principal } from '../auth/Principal.ts';

/**
 * What happened: the access actions (a denial names the one refused; `administer` is reading the
 * registry's own records), the account events, and block-list changes (`myorg-admin block`, the
 * range in `version`, the reason in `detail`). `dist-tag` covers add (with `version`) and rm
 * (without).
 */
export type RegistryAction =
  | AccessAction
  | 'login'
  | 'logout'
  | 'token-create'
  | 'token-revoke'
  | 'block'
  | 'unblock';

/** `denied`: the access policy refused; `failed`: the caller's proof was wrong (a login's password). */
export type EventOutcome = 'ok' | 'denied' | 'failed';

/** One structured event. Never a token or password: a token appears only as its key (a hash). */
export interface RegistryEvent {
  /** ISO 8601. */
  time: string;
  action: RegistryAction;
  outcome: EventOutcome;
  /** The user who acted (for a login, the one logging in); absent when anonymous. */
  actor?: string;
  package?: string;
  /** The version published or tagged; the versions deprecated or unpublished, comma-separated. */
  version?: string;
  tag?: string;
  /** The client's IP address as the transport reports it (X-Forwarded-For only behind a trusted proxy). */
  address?: string;
  requestId?: string;
  /** Why a denial was decided, which token a token event is about (its key), how a login was proven. */
  detail?: string;
}

/** What an event's author fills in; the time, request and client come from the request. */
export type EventFields = Omit<RegistryEvent, 'time' | 'address' | 'requestId' | 'actor'> & {
  actor?: string;
};

/** A subscriber: `receive` must not wait on I/O (it runs on the request's path), `flush` does that. */
export interface EventSink {
  receive(event: RegistryEvent): void;
  /** Writes or sends what `receive` buffered; resolves when done (or given up and logged). */
  flush(): Promise<void>;
  /** `flush`, and stop its timers. */
  close(): Promise<void>;
  /** Does what earlier invocations left pending in storage (durable webhooks on Lambda). */
  drain?(): Promise<void>;
}

/** Where a request's events come from: its `RegistryContext` is one. */
export interface EventSource {
  principal: Principal | undefined;
  requestId?: string;
  remoteAddress?: string;
  events?: RegistryEvents;
}

/**
 * The one owner of "something happened in the registry": routes emit after a change commits (the
 * access policy when it refuses), and the audit log and webhooks subscribe. A sink that throws is
 * logged and never fails the request.
 */
export class RegistryEvents {
  readonly #sinks: EventSink[] = [];
  readonly #logger: Logger;
  readonly #now: () => Date;

  constructor(options: { logger: Logger; now?: () => Date }) {
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  subscribe(sink: EventSink): void {
    this.#sinks.push(sink);
  }

  /** Hands `fields`, completed from `source` (the request), to every sink. */
  emit(source: EventSource, fields: EventFields): void {
    const event: RegistryEvent = {
      time: this.#now().toISOString(),
      ...fields,
      actor: fields.actor ?? source.principal?.name,
    };
    if (source.remoteAddress !== undefined) event.address = source.remoteAddress;
    if (source.requestId) event.requestId = source.requestId;
    for (const sink of this.#sinks) {
      try {
        sink.receive(event);
      } catch (error) {
        this.#logger.error('an event subscriber failed', { action: event.action, error });
      }
    }
  }

  /** Waits until every sink has written what it holds: on Lambda, before the invocation answers. */
  async flush(): Promise<void> {
    await Promise.all(this.#sinks.map((sink) => sink.flush()));
  }

  /** On Lambda, at the start of invocations and on a schedule: what sinks left pending is done. */
  async drain(): Promise<void> {
    await Promise.all(this.#sinks.map((sink) => sink.drain?.()));
  }

  /** On a normal stop: every sink flushes and stops. */
  async close(): Promise<void> {
    await Promise.all(this.#sinks.map((sink) => sink.close()));
  }
}

/** Emits an event of the request `source`, if the registry records events at all. */
export function recordEvent(source: EventSource, fields: EventFields): void {
  source.events?.emit(source, fields);
}
