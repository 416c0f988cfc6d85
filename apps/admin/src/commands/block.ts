import { createLogger } from '@myorg/logger';
import { AuditLog, type BlockEntry, BlockList, type BlockListChange, parseBlockSpec } from '@myorg/registry';
import type { Command } from 'commander';
import { type CliIo, writeLine } from '../cli/CliIo.ts';
import { StorageMessages } from '../storageTools/messages.ts';
import { onStorage, openStorage, STORAGE_OPTION } from '../storageTools/openStorage.ts';

/** The block list of `--storage`; each change is written to the registry's audit trail before the command ends. */
function blockList(io: CliIo, storage: string | undefined): BlockList {
  const store = openStorage(io, storage).storage;
  const trail = new AuditLog({ storage: store, logger: createLogger({ level: 'warn' }) });
  const audit = async (change: BlockListChange) => {
    for (const entry of change.entries) {
      trail.receive({
        time: new Date().toISOString(),
        action: change.action === 'add' ? 'block' : 'unblock',
        outcome: 'ok',
        actor: change.action === 'add' ? entry.createdBy : io.env.USER,
        package: entry.name,
        version: entry.range,
        detail: entry.reason,
      });
    }
    await trail.close();
  };
  return new BlockList(store, { audit });
}

function describe(entry: BlockEntry): string {
  const by = entry.createdBy === undefined ? '' : ` by ${entry.createdBy}`;
  return `${entry.name}@${entry.range}  ${entry.reason}  (${entry.createdAt}${by})`;
}

/**
 * `myorg-admin block add|ls|rm`: the registry's block list, kept in its storage, which every
 * registry instance on that storage applies within seconds (README "Supply-chain policy").
 */
export function addBlockCommands(program: Command, io: CliIo): void {
  const block = program
    .command('block')
    .description('block package versions for every client of the registry (its block list, in its storage)');
  block
    .command('add <name[@range]>')
    .description('block a version, a range or (without @range) every version of a package')
    .requiredOption('--reason <text>', 'why: shown to whoever installs a blocked version')
    .option('--by <who>', 'who blocks it, kept with the entry (default: $USER)')
    .option(...STORAGE_OPTION)
    .action(async (spec: string, options: { reason: string; by?: string; storage?: string }) => {
      const { name, range } = parseBlockSpec(spec);
      const added = await onStorage('block add', () =>
        blockList(io, options.storage).add({
          name,
          range: range ?? '*',
          reason: options.reason,
          createdBy: options.by ?? io.env.USER,
        }),
      );
      writeLine(io.stdout, StorageMessages.blocked(describe(added)));
    });
  block
    .command('ls [name]')
    .description('list the blocks, or those of one package')
    .option(...STORAGE_OPTION)
    .action(async (name: string | undefined, options: { storage?: string }) => {
      const entries = await onStorage('block ls', () => blockList(io, options.storage).all());
      const shown = name === undefined ? entries : entries.filter((entry) => entry.name === name);
      if (shown.length === 0) writeLine(io.stdout, StorageMessages.noBlocks);
      for (const entry of shown) writeLine(io.stdout, describe(entry));
    });
  block
    .command('rm <name[@range]>')
    .description('remove the block of name@range exactly, or (without @range) every block of the package')
    .option(...STORAGE_OPTION)
    .action(async (spec: string, options: { storage?: string }) => {
      const { name, range } = parseBlockSpec(spec);
      const removed = await onStorage('block rm', () => blockList(io, options.storage).remove(name, range));
      for (const entry of removed) writeLine(io.stdout, StorageMessages.unblocked(describe(entry)));
    });
}
