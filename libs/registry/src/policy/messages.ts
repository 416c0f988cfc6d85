import { formatDuration } from '@myorg/date';

/**
 * What the supply-chain policy (minimum release age, block list) tells clients and administrators.
 * npm prints a tarball's 4xx `error` after the status line, and a packument's
 * `policyRestrictions.message` when the version asked for is withheld (E403 "due to policy violations").
 */
export const PolicyMessages = {
  tooYoung: (spec: string, minAgeMs: number, availableAt: number | undefined) =>
    `${spec} is held back by this registry's minimum release age of ${formatDuration(minAgeMs)} (REGISTRY_MIN_RELEASE_AGE): ${availableAt === undefined ? 'its release time is unknown, so it cannot be shown old enough' : `it becomes available at ${new Date(availableAt).toISOString()}`}. For an urgent fix, an administrator can allow it in REGISTRY_MIN_RELEASE_AGE_ALLOW`,
  blocked: (spec: string, reason: string) =>
    `${spec} is blocked by this registry's block list (myorg-admin block ls): ${reason}`,
  /**
   * The one message of a packument's `policyRestrictions`, naming the withheld versions, newest
   * first; npm prints all of it, so a package with many young versions names the first few.
   */
  restricted: (lines: readonly string[], more: number) =>
    more === 0 ? lines.join('\n') : [...lines, `… and ${more} more withheld versions`].join('\n'),

  // The block list, as stored and changed by `myorg-admin block`
  blockListInvalid: (problem: string) =>
    `the stored block list (policy/blocks.json) is not valid: ${problem}`,
  blockListFull: (limit: number) =>
    `the block list holds ${limit} entries, its limit: remove some (myorg-admin block rm) before adding more`,
  blockSpecInvalid: (spec: string) =>
    `${JSON.stringify(spec)} is not <name> or <name>@<version or range> (a dist-tag cannot be blocked)`,
  blockNameInvalid: (name: string, problems: string) =>
    `${JSON.stringify(name)} is not a package name: ${problems}`,
  blockReasonInvalid: (limit: number) => `--reason must say why, in 1 to ${limit} characters`,
  blockExists: (spec: string) => `${spec} is blocked already: remove it first to change its reason`,
  noSuchBlock: (spec: string) => `nothing blocks ${spec}: see myorg-admin block ls`,
} as const;
