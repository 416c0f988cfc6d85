import { readFileSync } from 'node:fs';
import { z } from '@myorg/validation';
import { durationVariable, httpUrl, listVariable } from '../config/variables.ts';
import { accessRulesSchema } from './accessRules.ts';

const loginPattern = /^[a-z0-9][a-z0-9._-]*$/i;
const orgPattern = /^[a-z0-9][a-z0-9-]*$/i;
const rulesMessage = 'must be the path of a JSON rule file, or the JSON itself';

/**
 * REGISTRY_ACCESS_RULES: a JSON document (inline, as Lambda's environment carries it) or the path
 * of a file holding one. Read once, at start-up: a wrong rule file stops the registry rather than
 * leaving it open.
 */
const accessRulesVariable = z
  .string()
  .default('{}')
  .transform((value, ctx) => {
    const text = value.trim();
    let source = text;
    if (!text.startsWith('{')) {
      try {
        source = readFileSync(text, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        ctx.addIssue({ code: 'custom', message: `cannot read ${text}: ${code}` });
        return z.NEVER;
      }
    }
    try {
      return JSON.parse(source) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${rulesMessage}: not valid JSON` });
      return z.NEVER;
    }
  })
  .pipe(accessRulesSchema);

/** An http(s) URL without a trailing slash, `defaultValue` when unset. */
function urlVariable(defaultValue: string, what: string) {
  return z
    .string()
    .default(defaultValue)
    .pipe(httpUrl(`must be the http(s) URL of ${what}`))
    .transform((url) => url.href.replace(/\/+$/, ''));
}

/** The environment variables of access rules, GitHub sign-in and trusted publishing. */
export const accessVariables = {
  REGISTRY_AUTH: z.enum(['local', 'github'], { error: 'must be local or github' }).default('local'),
  REGISTRY_ACCESS_RULES: accessRulesVariable,
  /** User names (GitHub logins) who may change any package; compared without regard to case. */
  REGISTRY_ADMINS: listVariable(loginPattern, 'a user name').transform((names) =>
    names.map((name) => name.toLowerCase()),
  ),
  /** Longest life of a token that can publish; read-only tokens may live longer. */
  REGISTRY_TOKEN_MAX_AGE: durationVariable('90d', 60_000),
  REGISTRY_GITHUB_URL: urlVariable('https://github.com', 'GitHub or GitHub Enterprise Server'),
  REGISTRY_GITHUB_API_URL: urlVariable('https://api.github.com', 'the GitHub REST API'),
  REGISTRY_GITHUB_CLIENT_ID: z.string().trim().optional(),
  REGISTRY_GITHUB_CLIENT_SECRET: z.string().trim().optional(),
  /** A token of the registry's own (read:org) that checks users' org and team memberships. */
  REGISTRY_GITHUB_TOKEN: z.string().trim().optional(),
  REGISTRY_GITHUB_ORGS: listVariable(orgPattern, 'a GitHub organisation').transform((orgs) =>
    orgs.map((org) => org.toLowerCase()),
  ),
  REGISTRY_GITHUB_MEMBERSHIP_TTL: durationVariable('5m', 1000),
  REGISTRY_OIDC_ISSUER: urlVariable('https://token.actions.githubusercontent.com', 'an OIDC issuer'),
  REGISTRY_OIDC_TOKEN_TTL: durationVariable('15m', 60_000),
};
