import { auditQuery, type RegistryEvent, readAudit } from '@myorg/registry';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliIo, writeLine } from '../cli/CliIo.ts';
import { StorageMessages } from '../storageTools/messages.ts';
import { onStorage, openStorage } from '../storageTools/openStorage.ts';

interface AuditOptions {
  storage?: string;
  since?: string;
  package?: string;
  user?: string;
  limit: number;
  json: boolean;
}

function positive(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError(StorageMessages.invalidAuditLimit(value));
  return parsed;
}

/** Batches read per page: small pages keep the first lines coming on a long trail. */
const PAGE_EVENTS = '200';

/** One event as a line: time, action, outcome, actor, package@version or tag, client, detail. */
function eventLine(event: RegistryEvent): string {
  const target =
    event.package === undefined
      ? ''
      : `${event.package}${event.tag === undefined ? '' : ` ${event.tag}`}${event.version === undefined ? '' : `@${event.version}`}`;
  return [
    event.time,
    event.action,
    event.outcome,
    event.actor ?? '-',
    target,
    event.address ?? '',
    event.detail ?? '',
  ]
    .join('  ')
    .trimEnd();
}

/**
 * `myorg-admin audit`: the registry's audit trail (publishes, changes, logins, tokens, refusals),
 * read straight from its storage as `GET /-/audit` reads it, oldest first.
 */
export function addAuditCommand(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description(
      'show the registry’s audit trail: who published, changed, logged in or was refused what, and when',
    )
    .option(
      '--storage <dir or url>',
      'the registry’s storage: a directory or REGISTRY_STORAGE URL (default: $REGISTRY_STORAGE)',
    )
    .option(
      '--since <date or age>',
      'events from this time on: 2026-12-07, 2026-12-07T10:00:00Z, or an age (30m, 24h, 7d)',
    )
    .option('--package <name>', 'only events about this package')
    .option('--user <name>', 'only events by this user')
    .option('--limit <n>', 'most events shown', positive, 1000)
    .option('--json', 'one JSON event per line', false)
    .action(async (options: AuditOptions) => {
      const { storage } = openStorage(io, options.storage);
      const { limit } = options;
      const query = auditQuery(
        { since: options.since, package: options.package, user: options.user, limit: PAGE_EVENTS },
        new Date(),
      );
      let shown = 0;
      let cursor: string | undefined;
      do {
        const page = await onStorage('audit', () => readAudit(storage, { ...query, cursor }));
        for (const event of page.events.slice(0, limit - shown)) {
          writeLine(io.stdout, options.json ? JSON.stringify(event) : eventLine(event));
          shown++;
        }
        cursor = page.cursor;
      } while (cursor !== undefined && shown < limit);
    });
}
