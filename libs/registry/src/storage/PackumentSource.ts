import type { Packument } from '../packument/types.ts';

/**
 * Where the registry's own packuments are read from. Packages of the upstream never come through
 * here: the routes ask the upstream proxy (`../upstream`) only when this has no package of the
 * name, so a local package is never mixed with the upstream's versions.
 */
export interface PackumentSource {
  /** The packument of `name`, or undefined when this source does not know the package. */
  read(name: string): Promise<Packument | undefined>;
}
