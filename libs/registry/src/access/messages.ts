import type { AccessAction } from './AccessPolicy.ts';

/** How a refusal names the action: `alice may not <verb> <name>`. */
const verbs: Record<AccessAction, string> = {
  read: 'read',
  publish: 'publish',
  unpublish: 'unpublish',
  'dist-tag': 'change the dist-tags of',
  deprecate: 'deprecate',
  owner: 'change the owners of',
  administer: 'read the records of',
};

/**
 * A rule's subject as a person reads it in a refusal. `$all` and `$authenticated` never appear in
 * one: a signed-in caller is both.
 */
function describe(subject: string): string {
  return subject === '$owners' ? 'being an owner of the package (npm owner add)' : subject;
}

const either = new Intl.ListFormat('en', { type: 'disjunction' });

/**
 * The 403s of the access policy (`AccessPolicy.ts`). Each names what is missing, so the user knows
 * whom to ask. The 401 (not signed in) and the read-only token's 403 are the registry's own
 * (`../messages.ts`), shared with the rest of the protocol.
 */
export const AccessMessages = {
  /** A rule's subjects do not include the caller. */
  notAllowed: (user: string, action: AccessAction, name: string, subjects: readonly string[]) =>
    subjects.length === 0
      ? `${user} may not ${verbs[action]} ${name}: only the registry's administrators (REGISTRY_ADMINS) may`
      : `${user} may not ${verbs[action]} ${name}: it needs ${either.format(subjects.map(describe))}`,
  /** The rule asks for owners only (the default): the wording npm users know. */
  notMaintainer: (user: string, name: string) =>
    `${user} is not a maintainer of ${name}: ask a maintainer to run \`npm owner add ${user} ${name}\``,
  /** The provider's required groups (GitHub: `org:<org>` for each of REGISTRY_GITHUB_ORGS) hold none of the caller's. */
  notMember: (user: string, groups: readonly string[]) =>
    groups.every((group) => group.startsWith('org:'))
      ? `${user} is not an active member of the GitHub organisation(s) ${groups.map((group) => group.slice('org:'.length)).join(', ')}: ask an owner of the organisation for an invitation, accept it, then try again`
      : `${user} is in none of the groups this registry requires (${groups.join(', ')}): ask an administrator to add you`,
  tokenLimited: (action: AccessAction, name: string, packages: readonly string[]) =>
    `this token may only publish ${packages.join(', ')}: it cannot ${verbs[action]} ${name}`,
} as const;
