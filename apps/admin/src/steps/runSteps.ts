import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { CliIo } from '../cli/CliIo.ts';
import type { Step, StepReport } from './types.ts';

/**
 * Runs the steps one after another with listr2 progress: an animated list on a terminal, one line
 * per event elsewhere. Each finished step's title shows its outcome. The first failure stops the
 * run and is rethrown; the reports of the steps done so far are passed to `onFailure` first.
 */
export async function runSteps<C>(
  steps: readonly Step<C>[],
  ctx: C,
  io: CliIo,
  onFailure?: (done: StepReport[]) => void,
): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  const output = new ProcessOutput(io.stdout as NodeJS.WriteStream, io.stderr as NodeJS.WriteStream);
  const logger = new ListrLogger({ processOutput: output, useIcons: true });
  const list = new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (_: unknown, task: { title: string; output: string; skip(message?: string): void }) => {
        const outcome = await step.run(ctx, (line) => {
          task.output = line;
        });
        reports.push({ title: step.title, ...outcome });
        if (outcome.status === 'skipped') task.skip(`${step.title}: ${outcome.detail}`);
        else task.title = `${step.title}: ${outcome.detail}`;
      },
    })),
    {
      concurrent: false,
      exitOnError: true,
      registerSignalListeners: false,
      renderer: 'default',
      rendererOptions: { logger },
      fallbackRenderer: 'simple',
      fallbackRendererOptions: { logger },
      fallbackRendererCondition: !io.isTTY,
    },
  );
  try {
    await list.run();
  } catch (error) {
    onFailure?.(reports);
    throw error;
  }
  return reports;
}
