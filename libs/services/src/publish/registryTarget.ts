import {
  type ActionsIdTokenSource,
  actionsIdTokenSource,
  requestActionsIdToken,
} from '../github/actionsIdToken.ts';
import { RegistryClient } from '../registry/RegistryClient.ts';
import { directUpload } from './directUpload.ts';
import type { PublishTarget, ResolvedTarget } from './types.ts';

type RegistryTarget = Extract<PublishTarget, { kind: 'registry' }>;

/**
 * Any npm registry; ours, when its storage can take uploads directly, gets the tarball that way
 * (`directUpload`). "Already published?" is a fresh packument GET that bypasses every cache
 * (`RegistryClient.hasVersion`); `npm view` is not used because it can answer from npm's cache.
 *
 * Without a token, in a GitHub Actions job allowed to ask for an OIDC id-token (`env`), each
 * package gets its own token by trusted publishing: no long-lived secret in CI.
 */
export function resolveRegistryTarget(target: RegistryTarget, env: NodeJS.ProcessEnv): ResolvedTarget {
  const token = target.token || undefined;
  const source = token === undefined ? actionsIdTokenSource(env) : undefined;
  const client = new RegistryClient({ registry: target.url, ...(token === undefined ? {} : { token }) });
  if (source === undefined) {
    return {
      registryUrl: client.registry,
      token,
      uploader: directUpload,
      isPublished: (name, version) => client.hasVersion(name, version),
    };
  }
  const tokenFor = trustedPublishingTokens(client.registry, source);
  return {
    registryUrl: client.registry,
    token: undefined,
    // The package's own token also asks whether it is there: a private registry answers no one else.
    isPublished: async (name, version) =>
      new RegistryClient({ registry: client.registry, token: await tokenFor(name) }).hasVersion(
        name,
        version,
      ),
    uploader: async (pkg, resolved, options) =>
      directUpload(pkg, { ...resolved, token: await tokenFor(pkg.name) }, options),
  };
}

/**
 * A registry token per package, from npm's trusted-publishing exchange of the job's id-token
 * (audience `npm:<registry host>`, as npm asks for it); each package's is asked for once per run.
 */
function trustedPublishingTokens(
  registry: string,
  source: ActionsIdTokenSource,
): (name: string) => Promise<string> {
  const audience = `npm:${new URL(registry).hostname}`;
  const tokens = new Map<string, Promise<string>>();
  return (name) => {
    let token = tokens.get(name);
    if (token === undefined) {
      token = requestActionsIdToken(source, audience).then((idToken) =>
        new RegistryClient({ registry, token: idToken }).exchangeIdToken(name),
      );
      tokens.set(name, token);
    }
    return token;
  };
}
