import type { Packument } from '../packument/types.ts';
import type { PackumentSource } from './PackumentSource.ts';

/** Persistent packuments: the registry's own, written only through `update`. */
export interface PackumentStore extends PackumentSource {
  /**
   * Reads the packument, lets `mutate` compute the next one and writes it only if nobody wrote in
   * between, retrying from a fresh read otherwise; so concurrent writers never lose each other's
   * changes. `mutate` may run more than once and throws to abort (nothing is written). Returning
   * `current` itself writes nothing.
   */
  update(name: string, mutate: (current: Packument | undefined) => Packument): Promise<Packument>;
  /** Every stored packument, in no particular order (search builds its index from them). */
  all(): AsyncIterable<Packument>;
}
