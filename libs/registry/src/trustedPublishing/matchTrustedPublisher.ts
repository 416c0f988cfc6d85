import type { TrustedPublisher } from '../access/accessRules.ts';
import type { ActionsClaims } from './IdTokenVerifier.ts';

/** What an id-token says about the run that asked for it. */
export interface Workflow {
  repository: string;
  /** The workflow's file name under `.github/workflows/`, e.g. `release.yml`. */
  file: string;
  environment: string | undefined;
}

// `owner/repo/.github/workflows/release.yml@refs/heads/main`
const WORKFLOW_REF = /^([^/]+\/[^/]+)\/\.github\/workflows\/([^/@]+)@/;

/**
 * The run an id-token describes. The workflow file comes from `workflow_ref` (the workflow the run
 * started from, as npm's own trusted publishing reads it), which must lie in the token's
 * repository; undefined when it does not.
 */
export function workflowOf(claims: ActionsClaims): Workflow | undefined {
  const match = WORKFLOW_REF.exec(claims.workflow_ref);
  if (!match?.[1] || !match[2] || match[1].toLowerCase() !== claims.repository.toLowerCase())
    return undefined;
  return { repository: claims.repository, file: match[2], environment: claims.environment };
}

/**
 * The first trusted publisher the run fits: same repository (GitHub compares names without regard
 * to case), same workflow file, and the rule's environment when it names one (environment names
 * are case-insensitive on GitHub too).
 */
export function matchTrustedPublisher(
  workflow: Workflow,
  publishers: readonly TrustedPublisher[],
): TrustedPublisher | undefined {
  return publishers.find(
    (publisher) =>
      publisher.repository.toLowerCase() === workflow.repository.toLowerCase() &&
      publisher.workflow === workflow.file &&
      (publisher.environment === undefined ||
        publisher.environment.toLowerCase() === workflow.environment?.toLowerCase()),
  );
}
