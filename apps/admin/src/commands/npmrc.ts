import type { CommandContext } from '../cli/commandContext.ts';
import { printSummary } from '../steps/printSummary.ts';
import { runSteps } from '../steps/runSteps.ts';
import type { Step, StepReport } from '../steps/types.ts';
import { type AccessState, accountStep, endpointStep, npmrcSteps, tokenStep } from './accessSteps.ts';

/**
 * `myorg-admin npmrc`: rewrites only the consumers' `.npmrc` files (endpoint, and a fresh token when
 * they hold one inline); creates nothing in AWS and publishes nothing.
 */
export async function npmrc(context: CommandContext, options: { dryRun: boolean }): Promise<StepReport[]> {
  const state: AccessState = { ...context, dryRun: options.dryRun, owner: '', notCreatedYet: false };
  const steps: Step<AccessState>[] = [
    accountStep(),
    ...(context.config.npmrcToken === 'inline' ? [tokenStep()] : []),
    endpointStep(),
    ...npmrcSteps(context.config.consumerPaths),
  ];
  const reports = await runSteps(steps, state, context.io);
  printSummary(reports, context.io, options);
  return reports;
}
