import { RegistryClient } from '../registry/RegistryClient.ts';
import { directUpload } from './directUpload.ts';
import type { PublishTarget, ResolvedTarget } from './types.ts';

type RegistryTarget = Extract<PublishTarget, { kind: 'registry' }>;

/**
 * Any npm registry; ours, when its storage can take uploads directly, gets the tarball that way
 * (`directUpload`). "Already published?" is a fresh packument GET that bypasses every cache
 * (`RegistryClient.hasVersion`); `npm view` is not used because it can answer from npm's cache.
 */
export function resolveRegistryTarget(target: RegistryTarget): ResolvedTarget {
  const token = target.token || undefined;
  const client = new RegistryClient({ registry: target.url, ...(token === undefined ? {} : { token }) });
  return {
    registryUrl: client.registry,
    token,
    uploader: directUpload,
    isPublished: (name, version) => client.hasVersion(name, version),
  };
}
