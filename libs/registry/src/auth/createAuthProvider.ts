import type { Logger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import type { RegistryConfig } from '../config/parseRegistryConfig.ts';
import { createGitHubAuth } from './github/createGitHubAuth.ts';
import { createLocalAuth } from './local/createLocalAuth.ts';
import type { AuthProvider } from './types.ts';

/** The provider REGISTRY_AUTH names, with its settings: the one place the local server and Lambda build it. */
export function createAuthProvider(
  config: RegistryConfig,
  storage: ObjectStorage,
  logger: Logger,
): AuthProvider {
  const { tokenMaxAgeMs } = config.access;
  if (config.auth.provider === 'local') {
    return createLocalAuth({ storage, allowRegistration: config.allowRegistration, logger, tokenMaxAgeMs });
  }
  return createGitHubAuth({
    storage,
    github: config.auth.github,
    teams: teamSubjects(config.access.rules),
    logger,
    tokenMaxAgeMs,
  });
}

/** The `team:<org>/<slug>` subjects the rule file names: the teams whose membership matters. */
function teamSubjects(rules: RegistryConfig['access']['rules']): string[] {
  const subjects = rules.packages.flatMap((rule) => [...(rule.read ?? []), ...(rule.publish ?? [])]);
  return [...new Set(subjects.filter((subject) => subject.startsWith('team:')))];
}

/** How the banner names the provider: `local`, or `github (orgs a, b)`. */
export function describeAuth(config: RegistryConfig): string {
  return config.auth.provider === 'local' ? 'local' : `github (orgs ${config.auth.github.orgs.join(', ')})`;
}
