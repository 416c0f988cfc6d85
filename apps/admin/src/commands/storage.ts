import { createInterface } from 'node:readline';
import { AppError } from '@myorg/error';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliIo, writeLine } from '../cli/CliIo.ts';
import { processSignals } from '../cli/processSignals.ts';
import { exportStorage, importStorage } from '../storageTools/backup.ts';
import { encryptStorage } from '../storageTools/encryptStorage.ts';
import { importCodebox } from '../storageTools/importCodebox.ts';
import { StorageMessages } from '../storageTools/messages.ts';
import { onStorage, openStorage } from '../storageTools/openStorage.ts';
import { type Progress, startProgress } from '../storageTools/progress.ts';
import { reindexStorage } from '../storageTools/reindex.ts';
import { removeStorage } from '../storageTools/removeStorage.ts';
import type { Tally } from '../storageTools/Tally.ts';
import { verifyStorage } from '../storageTools/verify.ts';

interface StorageOptions {
  storage?: string;
  concurrency: number;
  dryRun?: boolean;
}

const MAX_CONCURRENCY = 256;

function concurrency(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_CONCURRENCY)
    throw new InvalidArgumentError(StorageMessages.invalidConcurrency(value));
  return parsed;
}

async function confirmed(io: CliIo, url: string): Promise<boolean> {
  io.stderr.write(StorageMessages.confirm(url));
  const lines = createInterface({ input: io.stdin, terminal: false });
  try {
    for await (const answer of lines) return answer.trim() === url;
    return false;
  } finally {
    lines.close();
  }
}

/**
 * The registry storage commands (`import-codebox`, `verify`, `reindex`, `encrypt`, `export`,
 * `import`, `remove-storage`): each takes `--storage` as REGISTRY_STORAGE does, shows progress,
 * stops cleanly on Ctrl-C (or `signal`) and prints a summary; the exit code says whether all went.
 */
export function addStorageCommands(
  program: Command,
  io: CliIo,
  signal: AbortSignal | undefined,
  setExitCode: (code: number) => void,
): void {
  const storageCommand = (name: string, description: string, options: { writes: boolean }) => {
    const command = program
      .command(name)
      .description(description)
      .option(
        '--storage <dir or url>',
        'the registry’s storage: a directory or REGISTRY_STORAGE URL (default: $REGISTRY_STORAGE)',
      )
      .option('--concurrency <n>', 'objects worked on at once', concurrency, 8);
    return options.writes
      ? command.option('--dry-run', 'report what would change, change nothing', false)
      : command;
  };

  const run = async (
    name: string,
    dryRun: boolean | undefined,
    kinds: Record<string, string>,
    work: (progress: Progress, signal: AbortSignal) => Promise<Tally>,
  ) => {
    const stop = signal === undefined ? processSignals() : { signal, dispose: () => {} };
    const progress = startProgress(io, name);
    let tally: Tally;
    try {
      tally = await onStorage(name, () => work(progress, stop.signal));
    } finally {
      await progress.stop();
      stop.dispose();
    }
    tally.print(io, name, kinds);
    if (dryRun === true) writeLine(io.stdout, StorageMessages.dryRun);
    setExitCode(tally.exitCode);
  };

  storageCommand(
    'import-codebox',
    'import the packages of a codebox-npm bucket into the registry’s storage',
    {
      writes: true,
    },
  )
    .requiredOption(
      '--from <url>',
      'the codebox-npm bucket, s3://bucket[/prefix] (or a directory laid out alike)',
    )
    .action(async (options: StorageOptions & { from: string }) => {
      const source = openStorage(io, options.from).storage;
      const target = openStorage(io, options.storage).storage;
      await run(
        'import-codebox',
        options.dryRun,
        { packages: 'packages', imported: 'versions imported', present: 'versions already present' },
        (progress, stopped) =>
          importCodebox({
            ...options,
            dryRun: options.dryRun === true,
            source,
            target,
            progress,
            signal: stopped,
          }),
      );
    });

  storageCommand('verify', 'check that every packument parses and every version’s tarball is stored intact', {
    writes: true,
  })
    .option('--fix', 'remove the versions whose tarball is missing from their packument', false)
    .action(async (options: StorageOptions & { fix: boolean }) => {
      const { storage } = openStorage(io, options.storage);
      await run(
        'verify',
        options.dryRun,
        { packages: 'packages', versions: 'versions intact', removed: 'versions removed' },
        (progress, stopped) =>
          verifyStorage({ ...options, dryRun: options.dryRun === true, storage, progress, signal: stopped }),
      );
    });

  storageCommand(
    'reindex',
    'check every packument and drop the pre-rendered bodies, rebuilt from them on the next read',
    {
      writes: true,
    },
  ).action(async (options: StorageOptions) => {
    const { storage } = openStorage(io, options.storage);
    await run(
      'reindex',
      options.dryRun,
      { packages: 'packages', rendered: 'rendered bodies removed' },
      (progress, stopped) =>
        reindexStorage({ ...options, dryRun: options.dryRun === true, storage, progress, signal: stopped }),
    );
  });

  storageCommand('encrypt', 'copy every object of S3 storage onto itself with server-side encryption', {
    writes: true,
  })
    .option('--kms-key <id or arn>', 'SSE-KMS under this key (default: SSE-S3, AES256)')
    .action(async (options: StorageOptions & { kmsKey?: string }) => {
      const opened = openStorage(io, options.storage);
      const { s3 } = opened;
      if (s3 === undefined)
        throw new AppError(StorageMessages.notS3(opened.url), { details: { fix: StorageMessages.notS3Fix } });
      await run(
        'encrypt',
        options.dryRun,
        { objects: 'objects encrypted', present: 'already encrypted' },
        (progress, stopped) =>
          encryptStorage({
            ...options,
            dryRun: options.dryRun === true,
            s3,
            kmsKeyId: options.kmsKey,
            progress,
            signal: stopped,
          }),
      );
    });

  storageCommand('export', 'write every object of the storage into a tar file (restore with import)', {
    writes: false,
  })
    .requiredOption('--to <file.tar>', 'the file to write')
    .action(async (options: StorageOptions & { to: string }) => {
      const { storage } = openStorage(io, options.storage);
      await run('export', false, { objects: 'objects', bytes: 'bytes' }, (progress, stopped) =>
        exportStorage({ ...options, storage, file: options.to, progress, signal: stopped }),
      );
    });

  storageCommand('import', 'store every object of an export’s tar file (any backend into any other)', {
    writes: true,
  })
    .requiredOption('--from <file.tar>', 'the file `export` wrote')
    .action(async (options: StorageOptions & { from: string }) => {
      const { storage } = openStorage(io, options.storage);
      await run(
        'import',
        options.dryRun,
        { objects: 'objects stored', present: 'already present' },
        (progress, stopped) =>
          importStorage({
            ...options,
            dryRun: options.dryRun === true,
            storage,
            file: options.from,
            progress,
            signal: stopped,
          }),
      );
    });

  storageCommand('remove-storage', 'delete every object of the storage and its bucket or directory', {
    writes: true,
  })
    .option('--yes', 'do not ask for confirmation', false)
    .action(async (options: StorageOptions & { yes: boolean }) => {
      const opened = openStorage(io, options.storage);
      if (!options.yes && options.dryRun !== true && !(await confirmed(io, opened.url)))
        throw new AppError(StorageMessages.notConfirmed(opened.url), {
          details: { fix: StorageMessages.notConfirmedFix },
        });
      await run(
        'remove-storage',
        options.dryRun,
        { objects: 'objects removed', buckets: 'buckets removed' },
        (progress, stopped) =>
          removeStorage({ opened, dryRun: options.dryRun === true, progress, signal: stopped }),
      );
    });

  program
    .command('migrate-domain')
    .description(StorageMessages.migrateDomain)
    .action(() => writeLine(io.stdout, StorageMessages.migrateDomain));
}
