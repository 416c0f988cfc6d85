import type { SearchIndex } from './search/SearchIndex.ts';
import type { PackumentRepository } from './storage/PackumentRepository.ts';
import type { TarballStore } from './storage/TarballStore.ts';
import type { UpstreamProxy } from './upstream/UpstreamProxy.ts';

/** What the endpoints work with, built once by createRegistry. */
export interface RegistryServices {
  packuments: PackumentRepository;
  tarballs: TarballStore;
  search: SearchIndex;
  /** Answers for packages not published here (REGISTRY_UPSTREAM); undefined when nothing is proxied. */
  upstream: UpstreamProxy | undefined;
  /** The clock for `time` fields; tests pin it. */
  now: () => Date;
}
