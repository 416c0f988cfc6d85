import { isAccessDenied, isNotFound, troubleOf } from '../aws/awsErrors.ts';
import { type CliIo, writeLine } from '../cli/CliIo.ts';
import { StorageMessages } from './messages.ts';

/** Failures no other object would escape (no bucket, no credentials, denied): the run stops. */
function isFatal(error: unknown): boolean {
  const trouble = troubleOf(error, '');
  return (
    isAccessDenied(error) || isNotFound(error) || trouble === 'noCredentials' || trouble === 'badCredentials'
  );
}

/** What a storage command did, for its summary: counts by kind, and each skipped or failed item. */
export class Tally {
  readonly counts = new Map<string, number>();
  readonly skipped: { item: string; reason: string }[] = [];
  readonly failed: { item: string; reason: string }[] = [];
  /** The run was stopped (Ctrl-C) before it went through everything. */
  interrupted = false;

  count(kind: string, by = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + by);
  }

  get(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }

  skip(item: string, reason: string): void {
    this.skipped.push({ item, reason });
  }

  /** Records a failed item, or rethrows what would fail every other item too. */
  fail(item: string, error: unknown): void {
    if (isFatal(error)) throw error;
    const reason = !(error instanceof Error)
      ? String(error)
      : error.name === 'Error'
        ? error.message
        : `${error.name}: ${error.message}`;
    this.failed.push({ item, reason });
  }

  /** 1 when something failed or the run was interrupted (run it again), 0 otherwise. */
  get exitCode(): number {
    return this.failed.length > 0 || this.interrupted ? 1 : 0;
  }

  /** The summary: one line of counts (in the order given), then each skipped and failed item. */
  print(io: CliIo, command: string, kinds: Record<string, string>): void {
    const counts = Object.entries(kinds).map(([kind, label]) => `${this.get(kind)} ${label}`);
    counts.push(`${this.skipped.length} skipped`, `${this.failed.length} failed`);
    writeLine(io.stdout, `${command}: ${counts.join(', ')}`);
    for (const [title, items] of [
      ['skipped', this.sorted(this.skipped)],
      ['failed', this.sorted(this.failed)],
    ] as const) {
      if (items.length === 0) continue;
      writeLine(io.stdout, `${title}:`);
      for (const { item, reason } of items) writeLine(io.stdout, `  ${item}: ${reason}`);
    }
    if (this.interrupted) writeLine(io.stdout, StorageMessages.interrupted(command));
    else if (this.failed.length > 0) writeLine(io.stdout, StorageMessages.runAgain(command));
  }

  private sorted(items: { item: string; reason: string }[]) {
    return [...items].sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
  }
}
