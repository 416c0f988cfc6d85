import type { Logger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import { AuditLog } from './AuditLog.ts';
import { RegistryEvents } from './RegistryEvents.ts';

/**
 * The registry's events as the local server and Lambda run them: the audit trail in `storage`.
 * Close it (or, on Lambda, flush it before answering) so that no event is lost.
 */
export function createRegistryEvents(storage: ObjectStorage, logger: Logger): RegistryEvents {
  const events = new RegistryEvents({ logger });
  events.subscribe(new AuditLog({ storage, logger }));
  return events;
}
