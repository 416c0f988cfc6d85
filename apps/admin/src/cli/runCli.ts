import { isAppError } from '@myorg/error';
import { Command, CommanderError, Option } from 'commander';
import { addAuditCommand } from '../commands/audit.ts';
import { addBlockCommands } from '../commands/block.ts';
import { doctor, printTroubleshooting } from '../commands/doctor.ts';
import { addHooksCommands } from '../commands/hooks.ts';
import { iamPolicy } from '../commands/iamPolicy.ts';
import { npmrc } from '../commands/npmrc.ts';
import { setup } from '../commands/setup.ts';
import { setupCodebuild } from '../commands/setupCodebuild.ts';
import { addStorageCommands } from '../commands/storage.ts';
import { token } from '../commands/token.ts';
import { type UserAddOptions, userAdd } from '../commands/userAdd.ts';
import { DEFAULT_CONFIG_FILE } from '../config/loadConfig.ts';
import { type CliIo, writeLine } from './CliIo.ts';
import { type CommandContext, type GlobalOptions, loadCommandContext } from './commandContext.ts';
import { processSignals } from './processSignals.ts';

/** Prints a failure and its fix (from `details.fix`) the same way for every command. */
export function printError(io: CliIo, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  writeLine(io.stderr, `error: ${message}`);
  const fix = isAppError(error) ? error.details?.fix : undefined;
  if (typeof fix === 'string') writeLine(io.stderr, `fix: ${fix}`);
}

const DRY_RUN = ['--dry-run', 'report what would change, change nothing', false] as const;

function buildProgram(
  io: CliIo,
  signal: AbortSignal | undefined,
  setExitCode: (code: number) => void,
): Command {
  const program = new Command('myorg-admin')
    .description('Set up AWS CodeArtifact for the @myorg libraries, keep tokens fresh, and wire CodeBuild.')
    .option('-c, --config <file>', 'the config file', DEFAULT_CONFIG_FILE)
    .option('--region <region>', 'AWS region (overrides the config)')
    .option('--profile <name>', 'AWS profile (overrides the config)')
    .option(
      '--endpoint-url <url>',
      'send every AWS call here, e.g. the stand-in of `nx serve registry --codeartifact`',
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  const context = async () => loadCommandContext(program.opts<GlobalOptions>(), io);

  const dryRunCommand = (
    name: string,
    description: string,
    run: (context: CommandContext, options: { dryRun: boolean }) => Promise<unknown>,
  ) =>
    program
      .command(name)
      .description(description)
      .option(...DRY_RUN)
      .action(async (options: { dryRun: boolean }) => {
        await run(await context(), options);
      });

  dryRunCommand(
    'setup',
    'create the domain and repositories, publish the libraries, write the consumers’ .npmrc',
    setup,
  );
  dryRunCommand('npmrc', 'rewrite the consumers’ .npmrc files only', npmrc);
  program
    .command('token')
    .description('print a CodeArtifact token, or keep the .npmrc files fresh with --refresh-every')
    .option('--export', 'print a shell `export` line instead of the bare token', false)
    .option('--duration <duration>', 'token lifetime, 15m to 12h (default: tokenDuration from the config)')
    .option(
      '--refresh-every <duration>',
      'rewrite the .npmrc files with a fresh token this often until stopped, e.g. 11h',
    )
    .action(async (options: { export: boolean; duration?: string; refreshEvery?: string }) => {
      const stop = signal === undefined ? processSignals() : { signal, dispose: () => {} };
      try {
        await token(await context(), { ...options, signal: stop.signal });
      } finally {
        stop.dispose();
      }
    });
  program
    .command('doctor')
    .description(
      'check credentials, permissions, endpoint, tokens and .npmrc files; print a fix for each problem',
    )
    .option('--list', 'print every known problem and its fix', false)
    .action(async (options: { list: boolean }) => {
      if (options.list) printTroubleshooting(io);
      else setExitCode(await doctor(await context()));
    });
  program
    .command('iam-policy')
    .description('print least-privilege IAM policies derived from the config')
    .addOption(
      new Option('--for <who>', 'whose policy')
        .choices(['local', 'codebuild', 'consumer', 'all'])
        .default('local'),
    )
    .action(async (options: { for: string }) => {
      await iamPolicy(await context(), options);
    });
  program
    .command('setup-codebuild')
    .description('create or update the CodeBuild project, its service role and the GitHub webhook')
    .option(...DRY_RUN)
    .option('--remove', 'delete the webhook, the project and the role instead', false)
    .option('--import-github-token', 'replace CodeBuild’s stored GitHub credential with GITHUB_TOKEN', false)
    .action(async (options: { dryRun: boolean; remove: boolean; importGithubToken: boolean }) => {
      await setupCodebuild(await context(), options);
    });
  const user = program.command('user').description('manage the accounts of our own registry (apps/registry)');
  user
    .command('add <name>')
    .description('create a registry user who can then `npm login`; prints a generated password')
    .requiredOption('--email <address>', 'the user’s e-mail address')
    .option(
      '--storage <dir or url>',
      'the registry’s storage: a directory or REGISTRY_STORAGE URL (default: $REGISTRY_STORAGE)',
    )
    .option('--password-stdin', 'read the password from standard input instead of generating one', false)
    .option(
      '--group <name>',
      'a group access rules name as group:<name> (repeatable)',
      (group: string, groups: string[]) => [...groups, group],
      [],
    )
    .action(async (name: string, options: UserAddOptions) => {
      await userAdd(io, name, options);
    });
  addStorageCommands(program, io, signal, setExitCode);
  addBlockCommands(program, io);
  addAuditCommand(program, io);
  addHooksCommands(program, io);
  return program;
}

/**
 * Runs `myorg-admin` with `argv` (the arguments after the program name) and resolves with the exit
 * code: 0 on success, 1 on a failure (printed with its fix), commander's own code for usage errors.
 * `signal` stops `token --refresh-every`; without it, SIGINT and SIGTERM do.
 */
export async function runCli(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, signal, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    printError(io, error);
    return 1;
  }
}
