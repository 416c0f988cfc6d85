import { type CliIo, writeLine } from '../cli/CliIo.ts';
import type { CommandContext } from '../cli/commandContext.ts';
import { awsChecks } from '../doctor/awsChecks.ts';
import type { CheckResult } from '../doctor/CheckResult.ts';
import { checkNpmrcFile } from '../doctor/checkNpmrcFile.ts';
import { troubles } from '../doctor/troubleshooting.ts';
import { npmrcPath } from '../npmrc/updateNpmrc.ts';

const marks: Record<CheckResult['status'], string> = { ok: '✔', warn: '⚠', fail: '✖', skipped: '↓' };

function printCheck(io: CliIo, check: CheckResult): void {
  writeLine(io.stdout, `${marks[check.status]} ${check.name}: ${check.detail}`);
  const fix = check.fix ?? (check.trouble === undefined ? undefined : troubles[check.trouble].fix);
  if (fix !== undefined && (check.status === 'fail' || check.status === 'warn'))
    writeLine(io.stdout, `    fix: ${fix}`);
}

/** `myorg-admin doctor --list`: every known trouble with its fix. */
export function printTroubleshooting(io: CliIo): void {
  for (const trouble of Object.values(troubles)) {
    writeLine(io.stdout, `${trouble.id}`);
    writeLine(io.stdout, `    symptom: ${trouble.symptom}`);
    writeLine(io.stdout, `    fix:     ${trouble.fix}`);
  }
}

/**
 * `myorg-admin doctor`: credentials, domain and repositories, token, endpoint, publish permissions,
 * and every consumer `.npmrc` (registry line, token line, token expiry). Prints a fix under each
 * problem and returns the exit code: 1 when a check failed.
 */
export async function doctor(context: CommandContext, fetchImpl: typeof fetch = fetch): Promise<number> {
  const { config, io } = context;
  const { results, registryUrl } = await awsChecks(context, fetchImpl);
  for (const consumer of config.consumerPaths) {
    results.push(
      await checkNpmrcFile(npmrcPath(config.baseDir, consumer), {
        scope: config.scope,
        registryUrl,
        env: io.env,
        now: new Date(),
      }),
    );
  }
  for (const check of results) printCheck(io, check);
  const failed = results.filter((check) => check.status === 'fail').length;
  const warned = results.filter((check) => check.status === 'warn').length;
  writeLine(io.stdout);
  writeLine(
    io.stdout,
    failed === 0
      ? `All checks passed${warned > 0 ? ` (${warned} warning(s))` : ''}.`
      : `${failed} check(s) failed.`,
  );
  return failed === 0 ? 0 : 1;
}
