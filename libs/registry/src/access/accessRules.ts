import { z } from '@myorg/validation';
import { namePattern } from '../packument/namePattern.ts';

/**
 * Who a rule names. `$all` is anyone, signed in or not (reads only); `$authenticated` anyone signed
 * in; `$owners` the package's maintainers (`npm owner add`), or, for a name not yet published, anyone
 * signed in, who becomes its first maintainer. The rest name a principal or one of its groups:
 * `user:<name>`, `group:<name>` (local users), `org:<org>` and `team:<org>/<team-slug>` (GitHub).
 */
const subject = z
  .string()
  .trim()
  .regex(
    /^(\$all|\$authenticated|\$owners|(user|group|org):[\w.-]+|team:[\w.-]+\/[\w.-]+)$/i,
    'must be $all, $authenticated, $owners, user:<name>, group:<name>, org:<org> or team:<org>/<team>',
  )
  .transform((text) => (text.startsWith('$') ? text : text.toLowerCase()));

const packageRule = z.strictObject({
  /** A package name, or a pattern in which `*` stands for any run of characters. */
  match: z.string().trim().min(1, 'must be a package name or pattern such as @myorg/*'),
  read: z.array(subject).optional(),
  /** Publish, and every other change: unpublish, dist-tags, deprecation, owners. */
  publish: z
    .array(subject)
    .refine((subjects) => !subjects.includes('$all'), '$all may read, never publish')
    .optional(),
});

/** A GitHub Actions workflow allowed to publish matching packages with an OIDC id-token. */
const trustedPublisher = z.strictObject({
  match: z.string().trim().min(1, 'must be a package name or pattern such as @myorg/*'),
  /** `owner/repo`, compared without regard to case, as the `repository` claim. */
  repository: z
    .string()
    .trim()
    .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/repo'),
  /** The workflow's file name under `.github/workflows/`, e.g. `release.yml`. */
  workflow: z
    .string()
    .trim()
    .regex(/^[\w.-]+\.ya?ml$/, 'must be a workflow file name such as release.yml'),
  /** The GitHub environment the job must run in, when set. */
  environment: z.string().trim().min(1).optional(),
});

export const accessRulesSchema = z.strictObject({
  packages: z.array(packageRule).default([]),
  trustedPublishers: z.array(trustedPublisher).default([]),
});

export type Subject = z.output<typeof subject>;
/** A rule file as parsed (`config.access.rules`). */
export type AccessRulesFile = z.output<typeof accessRulesSchema>;
export type TrustedPublisher = z.output<typeof trustedPublisher>;

/** What a matched rule allows. Absent lists fall back to the defaults. */
export interface PackageRule {
  match: string;
  read: readonly Subject[];
  publish: readonly Subject[];
}

/**
 * The rule file (REGISTRY_ACCESS_RULES), matched in order: the first rule whose `match` fits a
 * name decides for it; a name no rule matches gets the defaults (`read` as REGISTRY_PUBLIC_READ
 * says, `publish` to `$owners`), which is what a registry without a rule file does.
 */
export class AccessRules {
  readonly #rules: readonly { pattern: RegExp; rule: PackageRule }[];
  readonly #publishers: readonly { pattern: RegExp; publisher: TrustedPublisher }[];
  readonly #defaults: PackageRule;

  constructor(parsed: AccessRulesFile, options: { publicRead: boolean }) {
    this.#defaults = {
      match: '*',
      read: [options.publicRead ? '$all' : '$authenticated'],
      publish: ['$owners'],
    };
    this.#rules = parsed.packages.map(({ match, read, publish }) => ({
      pattern: namePattern(match),
      rule: { match, read: read ?? this.#defaults.read, publish: publish ?? this.#defaults.publish },
    }));
    this.#publishers = parsed.trustedPublishers.map((publisher) => ({
      pattern: namePattern(publisher.match),
      publisher,
    }));
  }

  /** The rule deciding for `name`. */
  ruleFor(name: string): PackageRule {
    return this.#rules.find(({ pattern }) => pattern.test(name))?.rule ?? this.#defaults;
  }

  /** The workflows allowed to publish `name` by trusted publishing. */
  trustedPublishersFor(name: string): TrustedPublisher[] {
    return this.#publishers.filter(({ pattern }) => pattern.test(name)).map(({ publisher }) => publisher);
  }
}
