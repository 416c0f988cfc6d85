import { resolveAccount } from '../aws/callerIdentity.ts';
import type { CommandContext } from '../cli/commandContext.ts';
import {
  type AuthorizationToken,
  type DomainRef,
  getAuthorizationToken,
  getRepositoryEndpoint,
} from '../codeartifact/repositoryAccess.ts';
import { npmrcPath, updateNpmrc } from '../npmrc/updateNpmrc.ts';
import type { Step } from '../steps/types.ts';

/** What `setup` and `npmrc` learn on the way to writing the `.npmrc` files. */
export interface AccessState extends CommandContext {
  dryRun: boolean;
  /** The account that owns the domain. */
  owner: string;
  /** True when a dry run found the domain or repository missing: there is nothing to ask AWS about. */
  notCreatedYet: boolean;
  token?: AuthorizationToken;
  registryUrl?: string;
}

export function accountStep<S extends AccessState>(): Step<S> {
  return {
    title: 'AWS account',
    async run(state) {
      state.owner = await resolveAccount(state.clients.sts, state.config.account);
      const source = state.config.account === undefined ? 'from STS GetCallerIdentity' : 'from the config';
      return { status: 'checked', detail: `${state.owner} (${source})` };
    },
  };
}

/** A read-only AWS lookup, skipped when a dry run would first create the `missing` resource. */
function lookupStep<S extends AccessState>(
  title: string,
  missing: 'domain' | 'repository',
  look: (state: S) => Promise<string>,
): Step<S> {
  return {
    title,
    async run(state) {
      if (state.notCreatedYet) return { status: 'skipped', detail: `the ${missing} does not exist yet` };
      return { status: 'checked', detail: await look(state) };
    },
  };
}

/** The domain the repository lives in, as the CodeArtifact lookups name it. */
function domainOf(state: AccessState): DomainRef {
  return { domain: state.config.domain, owner: state.owner };
}

/** A fresh token, skipped when a dry run would first create the domain. */
export function tokenStep<S extends AccessState>(): Step<S> {
  return lookupStep('Authorization token', 'domain', async (state) => {
    state.token = await getAuthorizationToken(state.clients.codeartifact, {
      ...domainOf(state),
      durationSeconds: state.config.tokenDuration,
    });
    return `valid until ${state.token.expiration.toISOString()}`;
  });
}

/** The repository's npm endpoint, skipped when a dry run would first create the repository. */
export function endpointStep<S extends AccessState>(): Step<S> {
  return lookupStep('npm endpoint', 'repository', async (state) => {
    state.registryUrl = await getRepositoryEndpoint(state.clients.codeartifact, {
      ...domainOf(state),
      repository: state.config.repository,
    });
    return state.registryUrl;
  });
}

/**
 * One step per consumer `.npmrc`. `keepTokenValidForMs` lets an inline token that is still good
 * stay (setup's idempotence); without it the fresh token is always written (`npmrc`, `token`).
 */
export function npmrcSteps<S extends AccessState>(
  consumerPaths: readonly string[],
  keepTokenValidForMs?: number,
): Step<S>[] {
  if (consumerPaths.length === 0) {
    return [
      {
        title: 'Consumer .npmrc files',
        run: async () => ({ status: 'skipped', detail: 'none written: the config names no "consumerPaths"' }),
      },
    ];
  }
  return consumerPaths.map((consumer) => ({
    title: `.npmrc ${consumer}`,
    async run(state) {
      const file = npmrcPath(state.config.baseDir, consumer);
      if (state.registryUrl === undefined) return { status: 'would-write', detail: `would write ${file}` };
      return updateNpmrc(
        file,
        {
          scope: state.config.scope,
          registryUrl: state.registryUrl,
          mode: state.config.npmrcToken,
          tokenEnvVar: state.config.tokenEnvVar,
          ...(state.token === undefined ? {} : { token: state.token }),
        },
        { dryRun: state.dryRun, ...(keepTokenValidForMs === undefined ? {} : { keepTokenValidForMs }) },
      );
    },
  }));
}
