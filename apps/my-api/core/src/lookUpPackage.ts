import { BadGatewayError } from '@myorg/error';
import { type RegistryClient, RegistryError } from '@myorg/services';

/** What the catalogue shows about a package's published state. */
export interface RegistrySummary {
  name: string;
  latest: string | undefined;
  distTags: Record<string, string>;
  /** In the registry's order, which is publish order. */
  versions: string[];
  modified: string;
}

/**
 * The registry's view of `name`, or undefined when it has never been published there. An error
 * status from the registry is a 502 for our clients: the fault is upstream (or our token), not theirs.
 */
export async function lookUpPackage(
  client: RegistryClient,
  name: string,
): Promise<RegistrySummary | undefined> {
  // The abbreviated document is all an install needs and is much smaller than the full one.
  const result = await client.getPackument(name, { abbreviated: true }).catch((error: unknown) => {
    throw error instanceof RegistryError
      ? new BadGatewayError(`the registry failed: ${error.message}`, { cause: error })
      : error;
  });
  if (result?.status !== 200) return undefined;
  const packument = result.document();
  return {
    name: packument.name,
    latest: packument['dist-tags'].latest,
    distTags: packument['dist-tags'],
    versions: Object.keys(packument.versions),
    modified: packument.modified,
  };
}
