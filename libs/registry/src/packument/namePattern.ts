/**
 * A package-name pattern in which `*` stands for any run of characters (`@types/*`, `left-pad`,
 * `*-fork`), compared without regard to case: the one syntax the upstream policy and the access
 * rules share.
 */
export function namePattern(pattern: string): RegExp {
  const source = pattern
    .trim()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}
