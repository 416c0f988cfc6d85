import { isAppError } from '@myorg/error';
import { createLogger, memorySink } from '@myorg/logger';
import { describe, expect, it } from 'vitest';
import { type AccessAction, AccessPolicy, type Owned } from '../../src/access/AccessPolicy.ts';
import { AccessRules, accessRulesSchema } from '../../src/access/accessRules.ts';
import type { Principal } from '../../src/auth/Principal.ts';

const rules = new AccessRules(
  accessRulesSchema.parse({
    packages: [
      { match: '@myorg/secret-*', read: ['team:myorg/security'], publish: ['team:myorg/security'] },
      { match: '@myorg/public-*', read: ['$all'], publish: ['group:platform', '$owners'] },
      { match: '@myorg/*', read: ['$authenticated'], publish: ['team:myorg/platform', '$owners'] },
      { match: 'locked', publish: [] },
      { match: 'diary', read: ['User:Carol', '$owners'] },
    ],
  }),
  { publicRead: false },
);
const policy = new AccessPolicy({ rules, admins: ['root'] });

const who = {
  anonymous: undefined,
  alice: { name: 'alice', readOnly: false, groups: ['team:myorg/platform', 'group:platform'] },
  bob: { name: 'bob', readOnly: false },
  carol: { name: 'carol', readOnly: false },
  sam: { name: 'sam', readOnly: false, groups: ['Team:MyOrg/Security'] },
  admin: { name: 'Root', readOnly: false },
  adminReadOnly: { name: 'root', readOnly: true },
  bobReadOnly: { name: 'bob', readOnly: true },
  ci: { name: 'ci', readOnly: false, packages: ['@myorg/app'] },
} satisfies Record<string, Principal | undefined>;

const ownedBy = (...names: string[]): Owned => ({ maintainers: names.map((name) => ({ name })) });

type Outcome = 'allowed' | { status: number; code?: string; error?: string };
const unauthorised = {
  status: 401,
  code: 'E401',
  error: 'authentication required: run `npm login` (or set a token in .npmrc) first',
};
const readOnly = { status: 403, code: 'EREADONLY' };

/** What `assert` does: nothing, or the status, code and message it throws. */
function outcome(
  principal: Principal | undefined,
  action: AccessAction,
  name: string,
  packument?: Owned,
): Outcome {
  try {
    policy.assert({ principal, logger: createLogger({ level: 'silent' }) }, action, name, packument);
    return 'allowed';
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { status: error.status, code: error.code, error: error.message };
  }
}

describe('AccessPolicy', () => {
  it.each<[keyof typeof who, AccessAction, string, Owned | undefined, Outcome]>([
    // Anonymous callers read what $all opens, nothing else.
    ['anonymous', 'read', '@myorg/public-kit', undefined, 'allowed'],
    ['anonymous', 'read', '@myorg/app', undefined, unauthorised],
    ['anonymous', 'read', 'lodash', undefined, unauthorised],
    ['anonymous', 'publish', '@myorg/public-kit', undefined, unauthorised],
    // Read lists.
    ['bob', 'read', '@myorg/app', undefined, 'allowed'],
    ['bob', 'read', 'lodash', undefined, 'allowed'],
    ['sam', 'read', '@myorg/secret-keys', undefined, 'allowed'],
    [
      'bob',
      'read',
      '@myorg/secret-keys',
      undefined,
      {
        status: 403,
        code: 'E403',
        error: 'bob may not read @myorg/secret-keys: it needs team:myorg/security',
      },
    ],
    ['carol', 'read', 'diary', ownedBy('dave'), 'allowed'],
    ['bob', 'read', 'diary', ownedBy('bob'), 'allowed'],
    [
      'alice',
      'read',
      'diary',
      ownedBy('bob'),
      {
        status: 403,
        code: 'E403',
        error:
          'alice may not read diary: it needs user:carol or being an owner of the package (npm owner add)',
      },
    ],
    // Publish lists, and owners: a name nobody published is anyone's who is signed in.
    ['alice', 'publish', '@myorg/app', ownedBy('carol'), 'allowed'],
    ['bob', 'publish', '@myorg/app', undefined, 'allowed'],
    ['bob', 'dist-tag', '@myorg/app', ownedBy('bob'), 'allowed'],
    ['bob', 'owner', '@myorg/app', { maintainers: [] }, 'allowed'],
    [
      'bob',
      'publish',
      '@myorg/app',
      ownedBy('carol'),
      {
        status: 403,
        code: 'E403',
        error:
          'bob may not publish @myorg/app: it needs team:myorg/platform or being an owner of the package (npm owner add)',
      },
    ],
    [
      'bob',
      'deprecate',
      '@myorg/public-kit',
      ownedBy('carol'),
      {
        status: 403,
        code: 'E403',
        error:
          'bob may not deprecate @myorg/public-kit: it needs group:platform or being an owner of the package (npm owner add)',
      },
    ],
    ['alice', 'unpublish', '@myorg/public-kit', ownedBy('carol'), 'allowed'],
    [
      'bob',
      'unpublish',
      'lodash',
      ownedBy('carol'),
      {
        status: 403,
        code: 'ENOTMAINTAINER',
        error: 'bob is not a maintainer of lodash: ask a maintainer to run `npm owner add bob lodash`',
      },
    ],
    [
      'alice',
      'owner',
      'locked',
      ownedBy('alice'),
      {
        status: 403,
        code: 'E403',
        error:
          "alice may not change the owners of locked: only the registry's administrators (REGISTRY_ADMINS) may",
      },
    ],
    // Administrators, by name in any case; their read-only tokens still write nothing.
    ['admin', 'publish', 'locked', ownedBy('alice'), 'allowed'],
    ['admin', 'read', '@myorg/secret-keys', undefined, 'allowed'],
    ['adminReadOnly', 'dist-tag', 'locked', ownedBy('alice'), readOnly],
    ['bobReadOnly', 'publish', 'lodash', undefined, readOnly],
    ['bobReadOnly', 'read', 'lodash', undefined, 'allowed'],
    // A token limited to packages publishes and reads those only.
    ['ci', 'publish', '@myorg/app', ownedBy('carol'), 'allowed'],
    ['ci', 'read', '@myorg/app', undefined, 'allowed'],
    [
      'ci',
      'publish',
      '@myorg/other',
      undefined,
      {
        status: 403,
        code: 'E403',
        error: 'this token may only publish @myorg/app: it cannot publish @myorg/other',
      },
    ],
    [
      'ci',
      'deprecate',
      '@myorg/app',
      ownedBy('carol'),
      {
        status: 403,
        code: 'E403',
        error: 'this token may only publish @myorg/app: it cannot deprecate @myorg/app',
      },
    ],
  ])('%s %s %s (owners %j): %j', (name, action, pkg, packument, expected) => {
    const result = outcome(who[name], action, pkg, packument);
    expect(result).toEqual(expected === 'allowed' ? expected : expect.objectContaining(expected));
  });

  it('refuses everything to a principal in none of the required groups, naming the organisations', () => {
    // Prepare
    const gated = new AccessPolicy({ rules, admins: ['root'], requiredGroups: ['org:myorg', 'org:partner'] });
    const caller = (principal: Principal) => ({ principal, logger: createLogger({ level: 'silent' }) });
    const member = { name: 'alice', readOnly: false, groups: ['org:myorg'] };
    const outsider = { name: 'root', readOnly: false, groups: ['org:elsewhere'] };

    // Act
    const refusal = () => gated.assert(caller(outsider), 'read', 'lodash');

    // Assess: administrators included, so leaving the organisation ends their access too.
    expect(refusal).toThrow(
      'root is not an active member of the GitHub organisation(s) myorg, partner: ask an owner of the organisation for an invitation, accept it, then try again',
    );
    expect(() => gated.assert(caller(member), 'read', 'lodash')).not.toThrow();
    expect(() => gated.assert(caller(outsider), 'read')).toThrow(/not an active member/);
  });

  it('decides requests about no single package on the caller alone', () => {
    expect(policy.decide(undefined, 'read').allowed).toBe(true);
    expect(policy.decide(undefined, 'publish').allowed).toBe(false);
    expect(policy.decide(who.bobReadOnly, 'publish').allowed).toBe(false);
    expect(policy.decide(who.ci, 'publish').allowed).toBe(true);
    expect(policy.decide(who.bob, 'publish').allowed).toBe(true);
  });

  it('logs every decision with user, action, package and reason: reads at debug, writes at info, refusals at warn', () => {
    // Prepare
    const sink = memorySink();
    const caller = (principal: Principal | undefined) => ({
      principal,
      logger: createLogger({ level: 'debug', sink }),
    });
    const withToken = { ...who.bob, tokenKey: 'a'.repeat(64) };

    // Act
    policy.assert(caller(withToken), 'read', '@myorg/app');
    policy.assert(caller(who.alice), 'publish', '@myorg/app', ownedBy('carol'));
    expect(() => policy.assert(caller(withToken), 'publish', '@myorg/app', ownedBy('carol'))).toThrow();
    expect(() => policy.assert(caller(undefined), 'read', '@myorg/app')).toThrow();
    policy.recheck(caller(who.alice), 'publish', '@myorg/app', ownedBy('carol'));

    // Assess: a recheck that allows is not logged again.
    expect(
      sink.records.map(({ level, msg, user, action, package: pkg, allowed, reason, tokenKey }) => ({
        level,
        msg,
        user,
        action,
        package: pkg,
        allowed,
        reason,
        tokenKey,
      })),
    ).toEqual([
      {
        level: 'debug',
        msg: 'access allowed',
        user: 'bob',
        action: 'read',
        package: '@myorg/app',
        allowed: true,
        reason: 'rule @myorg/*: $authenticated',
        tokenKey: 'a'.repeat(64),
      },
      {
        level: 'info',
        msg: 'access allowed',
        user: 'alice',
        action: 'publish',
        package: '@myorg/app',
        allowed: true,
        reason: 'rule @myorg/*: team:myorg/platform',
      },
      {
        level: 'warn',
        msg: 'access refused',
        user: 'bob',
        action: 'publish',
        package: '@myorg/app',
        allowed: false,
        reason: 'rule @myorg/* needs team:myorg/platform or $owners',
        tokenKey: 'a'.repeat(64),
      },
      {
        level: 'warn',
        msg: 'access refused',
        action: 'read',
        package: '@myorg/app',
        allowed: false,
        reason: 'not signed in',
      },
    ]);
  });

  it('loads the packument of a read only when owners may read and the caller is signed in', async () => {
    // Prepare
    const caller = (principal: Principal | undefined) => ({
      principal,
      logger: createLogger({ level: 'silent' }),
    });
    const loads: string[] = [];
    const load = (name: string, owned?: Owned) => async () => {
      loads.push(name);
      return owned;
    };

    // Act
    await policy.assertRead(caller(who.bob), '@myorg/app', load('@myorg/app'));
    await policy.assertRead(caller(undefined), '@myorg/public-kit', load('@myorg/public-kit'));
    await policy.assertRead(caller(who.bob), 'diary', load('diary', ownedBy('bob')));
    const refused = policy.assertRead(caller(who.alice), 'diary', load('diary', ownedBy('bob')));

    // Assess
    await expect(refused).rejects.toThrow(/alice may not read diary/);
    expect(loads).toEqual(['diary', 'diary']);
  });
});
