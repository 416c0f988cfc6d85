import { randomBytes } from 'node:crypto';
import { addHook, readHooks, recentDeliveries, removeHook } from '@myorg/registry';
import type { Command } from 'commander';
import { type CliIo, writeLine } from '../cli/CliIo.ts';
import { onStorage, openStorage } from '../storageTools/openStorage.ts';

interface StorageOption {
  storage?: string;
}

const STORAGE_HELP =
  'the registry’s storage: a directory or REGISTRY_STORAGE URL (default: $REGISTRY_STORAGE)';

async function readSecret(io: CliIo): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) text += chunk.toString();
  return text.trim();
}

/**
 * `myorg-admin hooks add|ls|rm`: the registry's webhooks, kept in its storage, which every
 * instance reads again within seconds. `ls` shows each hook's latest deliveries; secrets are
 * printed once, when generated, and never listed.
 */
export function addHooksCommands(program: Command, io: CliIo): void {
  const hooks = program
    .command('hooks')
    .description('the registry’s webhooks: POSTs on publish, unpublish, deprecate and dist-tag changes');
  hooks
    .command('add <target> <url>')
    .description('call <url> for <target>: * (every package), a scope (@myorg) or one package')
    .option('--storage <dir or url>', STORAGE_HELP)
    .option('--secret-stdin', 'read the signing secret from standard input instead of generating one', false)
    .action(async (target: string, url: string, options: StorageOption & { secretStdin: boolean }) => {
      const { storage } = openStorage(io, options.storage);
      const generated = !options.secretStdin;
      const secret = generated ? randomBytes(32).toString('hex') : await readSecret(io);
      const hook = await onStorage('hooks add', () => addHook(storage, { target, url, secret }, new Date()));
      writeLine(io.stdout, `added webhook ${hook.id}: ${hook.target} → ${hook.url}`);
      if (generated) {
        writeLine(io.stdout, `secret (shown once; verify X-Registry-Signature-256 with it): ${secret}`);
      }
    });
  hooks
    .command('ls')
    .description('list the webhooks and their latest deliveries')
    .option('--storage <dir or url>', STORAGE_HELP)
    .option('--json', 'as JSON', false)
    .action(async (options: StorageOption & { json: boolean }) => {
      const { storage } = openStorage(io, options.storage);
      const listed = await onStorage('hooks ls', async () => {
        const { hooks: stored } = await readHooks(storage);
        return await Promise.all(
          stored.map(async ({ secret: _secret, ...hook }) => ({
            ...hook,
            deliveries: await recentDeliveries(storage, hook.id),
          })),
        );
      });
      if (options.json) {
        writeLine(io.stdout, JSON.stringify(listed, null, 2));
        return;
      }
      if (listed.length === 0)
        writeLine(io.stdout, 'no webhooks: add one with `myorg-admin hooks add <target> <url>`');
      for (const hook of listed) {
        writeLine(io.stdout, `${hook.id}  ${hook.target}  ${hook.url}  (added ${hook.created})`);
        for (const delivery of hook.deliveries) {
          const subject = `${delivery.package ?? ''}${delivery.version === undefined ? '' : `@${delivery.version}`}`;
          writeLine(
            io.stdout,
            `  ${delivery.time}  ${delivery.action} ${subject}  ${delivery.outcome} after ${delivery.attempts} attempt(s): ${delivery.result}`,
          );
        }
      }
    });
  hooks
    .command('rm <id>')
    .description('remove a webhook and its delivery log')
    .option('--storage <dir or url>', STORAGE_HELP)
    .action(async (id: string, options: StorageOption) => {
      const { storage } = openStorage(io, options.storage);
      await onStorage('hooks rm', () => removeHook(storage, id));
      writeLine(io.stdout, `removed webhook ${id}`);
    });
}
