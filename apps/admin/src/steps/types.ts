/** What one step did. The `would-*` forms are what `--dry-run` reports instead of acting. */
export type StepStatus =
  | 'created'
  | 'updated'
  | 'removed'
  | 'published'
  | 'written'
  | 'unchanged'
  | 'skipped'
  | 'checked'
  | 'would-create'
  | 'would-update'
  | 'would-remove'
  | 'would-publish'
  | 'would-write';

export interface StepOutcome {
  status: StepStatus;
  /** One line for the progress display and the summary. */
  detail: string;
}

/** Statuses that mean something in AWS or on disk changed (or would have, in a dry run). */
const changing = new Set<StepStatus>([
  'created',
  'updated',
  'removed',
  'published',
  'written',
  'would-create',
  'would-update',
  'would-remove',
  'would-publish',
  'would-write',
]);

export function isChange(status: StepStatus): boolean {
  return changing.has(status);
}

/** One unit of a command's work, run in order with progress shown. */
export interface Step<C> {
  title: string;
  /** `report` updates the progress line while the step runs (e.g. one line per package). */
  run(ctx: C, report: (line: string) => void): Promise<StepOutcome>;
}

export interface StepReport extends StepOutcome {
  title: string;
}
