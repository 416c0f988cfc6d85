import type { PackageToPublish, PublishOutcome, PublishSummary } from './types.ts';

/** Counts the outcomes; `would-publish` (dry runs) counts in none of the three totals. */
export function summarize(outcomes: PublishOutcome[]): PublishSummary {
  const count = (status: PublishOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  return { outcomes, published: count('published'), skipped: count('skipped'), failed: count('failed') };
}

/** Every package failed for the same reason (no usable target, for instance). */
export function failAll(packages: PackageToPublish[], reason: string): PublishSummary {
  return summarize(packages.map(({ name, version }) => ({ name, version, status: 'failed', reason })));
}

/** One line per package: `published @myorg/x@1.2.0`, `skipped @myorg/x@1.1.0 (already in …)`. */
export function formatOutcome(outcome: PublishOutcome): string {
  const id = `${outcome.name}@${outcome.version}`;
  const status = outcome.status === 'would-publish' ? 'would publish' : outcome.status;
  if (outcome.reason === undefined) return `${status} ${id}`;
  return outcome.status === 'failed'
    ? `${status} ${id}: ${outcome.reason}`
    : `${status} ${id} (${outcome.reason})`;
}

export interface PublishCounts {
  published: number;
  skipped: number;
  failed: number;
  wouldPublish: number;
}

export function countsOf(summary: PublishSummary): PublishCounts {
  const wouldPublish = summary.outcomes.filter((o) => o.status === 'would-publish').length;
  return { published: summary.published, skipped: summary.skipped, failed: summary.failed, wouldPublish };
}

/** `<label>: 1 published, 3 skipped, 0 failed`, plus the dry-run candidates when there are any. */
export function formatCounts(counts: PublishCounts, label: string): string {
  const dry = counts.wouldPublish > 0 ? `, ${counts.wouldPublish} would publish (dry run)` : '';
  return `${label}: ${counts.published} published, ${counts.skipped} skipped, ${counts.failed} failed${dry}`;
}

/** The closing line of a publish: `publish: 1 published, 3 skipped, 0 failed`. */
export function formatSummary(summary: PublishSummary, label = 'publish'): string {
  return formatCounts(countsOf(summary), label);
}
