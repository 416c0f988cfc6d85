import { ConfigError } from '@myorg/utilities';
import type { PackageToPublish } from './types.ts';

/**
 * The packages in levels: level 0 depends on none of the others, each later level only on
 * packages of earlier ones, so a level can be published at once. Order within a level is kept.
 * A dependency cycle is a configuration error.
 */
export function dependencyLevels<T extends PackageToPublish>(packages: readonly T[]): T[][] {
  const names = new Set(packages.map((pkg) => pkg.name));
  const placed = new Set<string>();
  const levels: T[][] = [];
  let left = [...packages];
  while (left.length > 0) {
    const ready = left.filter((pkg) =>
      (pkg.dependencies ?? []).every((dep) => dep === pkg.name || !names.has(dep) || placed.has(dep)),
    );
    if (ready.length === 0) {
      throw new ConfigError(
        `no publish order: a dependency cycle holds back ${left.map((pkg) => pkg.name).join(', ')}`,
      );
    }
    for (const pkg of ready) placed.add(pkg.name);
    left = left.filter((pkg) => !placed.has(pkg.name));
    levels.push(ready);
  }
  return levels;
}
