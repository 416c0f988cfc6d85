import { type CliIo, writeLine } from '../cli/CliIo.ts';
import { isChange, type StepReport } from './types.ts';

/**
 * The table printed after a command: one row per step with its outcome, then one line saying
 * whether anything changed, so a second `setup` visibly reports that it did nothing.
 */
export function printSummary(
  reports: readonly StepReport[],
  io: CliIo,
  options: { dryRun: boolean },
): number {
  const width = Math.max(...reports.map((report) => report.status.length), 6);
  writeLine(io.stdout);
  writeLine(io.stdout, options.dryRun ? 'Summary (dry run, nothing was changed):' : 'Summary:');
  for (const report of reports) {
    writeLine(io.stdout, `  ${report.status.padEnd(width)}  ${report.title}: ${report.detail}`);
  }
  const changes = reports.filter((report) => isChange(report.status)).length;
  if (options.dryRun) {
    writeLine(io.stdout, changes === 0 ? 'Nothing would change.' : `${changes} step(s) would make changes.`);
  } else {
    writeLine(
      io.stdout,
      changes === 0
        ? 'Nothing changed: everything was already in place.'
        : `${changes} step(s) made changes.`,
    );
  }
  return changes;
}
