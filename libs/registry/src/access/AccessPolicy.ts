import { ForbiddenError } from '@myorg/error';
import type { Logger } from '@myorg/logger';
import type { Principal } from '../auth/Principal.ts';
import { requirePrincipal } from '../auth/requirePrincipal.ts';
import { type EventSource, recordEvent } from '../events/RegistryEvents.ts';
import { Messages } from '../messages.ts';
import type { AccessRules, Subject } from './accessRules.ts';
import { AccessMessages } from './messages.ts';

/**
 * What a caller wants to do with a package. Every action but `read` is a write. `administer` is about
 * no package: reading the registry's own records (the audit trail), for administrators only.
 */
export type AccessAction =
  | 'read'
  | 'publish'
  | 'unpublish'
  | 'dist-tag'
  | 'deprecate'
  | 'owner'
  | 'administer';

/** Who asks, where the decision is logged, and where a refusal is recorded: a request's `RegistryContext` is one. */
export interface Caller extends EventSource {
  logger: Logger;
}

/** What `$owners` is decided from: a packument, or anything else listing its maintainers by name. */
export interface Owned {
  maintainers?: readonly { name: string }[];
}

export interface AccessPolicyOptions {
  rules: AccessRules;
  /** User names who may do anything (REGISTRY_ADMINS); compared without regard to case. */
  admins?: readonly string[];
  /** The auth provider's `requiredGroups`: a principal in none of them may do nothing. */
  requiredGroups?: readonly string[];
}

/** A refusal, and why: the HTTP answer follows from it (see `AccessPolicy.#refuse`). */
interface Refused {
  allowed: false;
  /** For the log. */
  reason: string;
  refusal: 'anonymous' | 'readOnly' | 'notMember' | 'tokenLimited' | 'rule';
  /** With `rule`: the subjects of which the caller is none. */
  subjects?: readonly Subject[];
}

export type Decision = { allowed: true; reason: string } | Refused;

const allow = (reason: string): Decision => ({ allowed: true, reason });

/**
 * The one guard of the registry: who may read, publish, unpublish, tag, deprecate and change the
 * owners of a package. In order:
 *
 * 1. Anonymous callers may read what a rule opens to `$all`, nothing else (401).
 * 2. A token limited to packages (trusted publishing) may publish and read those, nothing else.
 * 3. A read-only token writes nothing (403 EREADONLY).
 * 4. A principal in none of the provider's required groups (GitHub organisations) may do nothing.
 * 5. Administrators may do anything.
 * 6. Otherwise the first rule matching the name decides: its `read` subjects for reads, its
 *    `publish` subjects for every write. Without a rule file every name gets the defaults, which
 *    are what the registry did before rules existed (reads per `publicRead`, writes by owners).
 *
 * `$owners` are the package's maintainers; a name with no packument, or one without maintainers,
 * is anyone's who is signed in (the first publisher becomes its maintainer).
 */
export class AccessPolicy {
  readonly #rules: AccessRules;
  readonly #admins: ReadonlySet<string>;
  readonly #requiredGroups: readonly string[] | undefined;

  constructor(options: AccessPolicyOptions) {
    this.#rules = options.rules;
    this.#admins = new Set(options.admins?.map((name) => name.toLowerCase()));
    this.#requiredGroups = options.requiredGroups?.map((group) => group.toLowerCase());
  }

  /**
   * The decision for `action` on package `name` given its current `packument` (undefined when
   * there is none). Without `name`, only what concerns the caller itself is decided (signed in,
   * read-only, member): for requests about no single package (search, a direct upload's offer).
   */
  decide(principal: Principal | undefined, action: AccessAction, name?: string, packument?: Owned): Decision {
    const write = action !== 'read';
    if (principal === undefined) {
      if (!write && (name === undefined || this.#rules.ruleFor(name).read.includes('$all'))) {
        return allow('open to anyone');
      }
      return { allowed: false, reason: 'not signed in', refusal: 'anonymous' };
    }
    const { packages } = principal;
    if (packages !== undefined) {
      const limited =
        (action !== 'publish' && action !== 'read') || (name !== undefined && !packages.includes(name));
      if (limited) return { allowed: false, reason: 'token limited to packages', refusal: 'tokenLimited' };
    }
    // An administrator's read-only token may read the registry's records.
    if (write && principal.readOnly && action !== 'administer')
      return { allowed: false, reason: 'read-only token', refusal: 'readOnly' };
    // Trusted publishing: the rule that let the workflow have this token was its check.
    if (packages !== undefined) return allow('token for these packages');
    if (this.#requiredGroups !== undefined && !inAnyGroup(principal, this.#requiredGroups)) {
      return { allowed: false, reason: 'in none of the required groups', refusal: 'notMember' };
    }
    if (this.#admins.has(principal.name.toLowerCase())) return allow('administrator');
    if (action === 'administer') {
      return { allowed: false, reason: 'not an administrator', refusal: 'rule', subjects: [] };
    }
    if (name === undefined) return allow('signed in');
    const rule = this.#rules.ruleFor(name);
    const subjects = write ? rule.publish : rule.read;
    const granted = subjects.find((subject) => holds(subject, principal, packument));
    if (granted !== undefined) return allow(`rule ${rule.match}: ${granted}`);
    return {
      allowed: false,
      reason: `rule ${rule.match} needs ${subjects.join(' or ') || 'an administrator'}`,
      refusal: 'rule',
      subjects,
    };
  }

  /** Whether `principal` may read `name`: for filtering lists (search), where nothing is refused or logged. */
  mayRead(principal: Principal | undefined, name: string, packument: Owned | undefined): boolean {
    return this.decide(principal, 'read', name, packument).allowed;
  }

  /** Decides, logs the decision, and throws the 401 or 403 of a refusal. */
  assert(caller: Caller, action: AccessAction, name?: string, packument?: Owned): void {
    const decision = this.decide(caller.principal, action, name, packument);
    log(caller, action, name, decision);
    if (!decision.allowed) this.#refuse(caller, decision, action, name);
  }

  /**
   * `assert` logging only a refusal: where the decision is logged by another check of the same
   * request (before a body is read, to refuse early; under a write's turn on the package, to decide
   * on the packument the write changes), and for the dispatcher's check of the caller alone on
   * every route that is about no package (whoami, tokens), which would otherwise log each request.
   */
  recheck(caller: Caller, action: AccessAction, name?: string, packument?: Owned): void {
    const decision = this.decide(caller.principal, action, name, packument);
    if (decision.allowed) return;
    log(caller, action, name, decision);
    this.#refuse(caller, decision, action, name);
  }

  /**
   * `assert` for a read, loading the packument only when the rule lets owners read (reads are hot,
   * and the packument is seldom needed to decide them).
   */
  async assertRead(caller: Caller, name: string, load: () => Promise<Owned | undefined>): Promise<void> {
    const needsOwners = caller.principal !== undefined && this.#rules.ruleFor(name).read.includes('$owners');
    this.assert(caller, 'read', name, needsOwners ? await load() : undefined);
  }

  /** Throws the answer to a refusal: 401 with a login challenge when anonymous, else a 403 naming what is missing. */
  #refuse(
    caller: Caller,
    decision: Refused,
    action: AccessAction,
    name = action === 'administer' ? 'this registry' : 'packages',
  ): never {
    const principal = requirePrincipal(caller);
    const { refusal, subjects = [] } = decision;
    if (refusal === 'readOnly') throw new ForbiddenError(Messages.readOnlyToken, { code: 'EREADONLY' });
    if (refusal === 'notMember') {
      throw new ForbiddenError(AccessMessages.notMember(principal.name, this.#requiredGroups ?? []));
    }
    if (refusal === 'tokenLimited') {
      throw new ForbiddenError(AccessMessages.tokenLimited(action, name, principal.packages ?? []));
    }
    if (subjects.length === 1 && subjects[0] === '$owners') {
      throw new ForbiddenError(AccessMessages.notMaintainer(principal.name, name), {
        code: 'ENOTMAINTAINER',
      });
    }
    throw new ForbiddenError(AccessMessages.notAllowed(principal.name, action, name, subjects));
  }
}

function inAnyGroup(principal: Principal, groups: readonly string[]): boolean {
  return principal.groups?.some((group) => groups.includes(group.toLowerCase())) ?? false;
}

/** Whether `subject` names `principal`; subjects are lower case (see accessRules.ts). */
function holds(subject: Subject, principal: Principal, packument: Owned | undefined): boolean {
  switch (subject) {
    case '$all':
    case '$authenticated':
      return true;
    case '$owners': {
      const maintainers = packument?.maintainers;
      if (maintainers === undefined || maintainers.length === 0) return true;
      const name = principal.name.toLowerCase();
      return maintainers.some((maintainer) => maintainer.name.toLowerCase() === name);
    }
  }
  if (subject.startsWith('user:')) return subject.slice('user:'.length) === principal.name.toLowerCase();
  return principal.groups?.some((group) => group.toLowerCase() === subject) ?? false;
}

/**
 * Every decision is logged with who, what and which package; never a token (its key is a hash). A
 * refusal is also an event of the audit trail.
 */
function log(caller: Caller, action: AccessAction, name: string | undefined, decision: Decision): void {
  if (!decision.allowed)
    recordEvent(caller, { action, outcome: 'denied', package: name, detail: decision.reason });
  const level = !decision.allowed ? 'warn' : action === 'read' ? 'debug' : 'info';
  const { logger, principal } = caller;
  if (!logger.isLevelEnabled(level)) return;
  const fields = {
    user: principal?.name,
    tokenKey: principal?.tokenKey,
    action,
    package: name,
    allowed: decision.allowed,
    reason: decision.reason,
  };
  if (level === 'warn') logger.warn('access refused', fields);
  else if (level === 'info') logger.info('access allowed', fields);
  else logger.debug('access allowed', fields);
}
