// The npm documents have one owner, @myorg/services: the registry stores and serves what its clients read.
export type {
  AbbreviatedManifest,
  AbbreviatedPackument,
  Dist,
  Packument,
  PackumentForm,
  Person,
  VersionManifest,
} from '@myorg/services';
