import type { Logger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import { AuditLog } from './AuditLog.ts';
import { RegistryEvents } from './RegistryEvents.ts';
import { Webhooks } from './webhooks/Webhooks.ts';

/**
 * The registry's events as the local server and Lambda run them: the audit trail in `storage`, and
 * the webhooks stored there (`myorg-admin hooks`). Close it (or, on Lambda, flush it before
 * answering) so that no audit event is lost.
 */
export function createRegistryEvents(
  storage: ObjectStorage,
  logger: Logger,
  /** `durableWebhooks`: for Lambda, deliveries are stored before the answer and drained later (see `Webhooks`). */
  options: { durableWebhooks?: boolean } = {},
): RegistryEvents {
  const events = new RegistryEvents({ logger });
  events.subscribe(new AuditLog({ storage, logger }));
  events.subscribe(new Webhooks({ storage, logger, durable: options.durableWebhooks }));
  return events;
}
