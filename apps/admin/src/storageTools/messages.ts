/** Every text the storage commands print or attach to an error, in one place. */
export const StorageMessages = {
  noStorage: 'no registry storage given',
  noStorageFix:
    'pass --storage <dir or REGISTRY_STORAGE URL, e.g. s3://bucket/prefix> (the registry’s REGISTRY_STORAGE), or set REGISTRY_STORAGE',
  memoryStorage: 'memory:// storage lives inside the registry process: no other process can reach it',
  memoryStorageFix: 'run the registry on file or S3 storage (REGISTRY_STORAGE), and pass that here',
  notS3: (url: string) => `${url} is not S3 storage: encrypt sets S3 server-side encryption`,
  notS3Fix: 'pass --storage s3://bucket/prefix; a directory is as encrypted as the disk it is on',
  invalidConcurrency: (value: string) => `--concurrency must be a whole number from 1 to 256, not "${value}"`,
  invalidAuditLimit: (value: string) => `--limit must be a whole number above 0, not "${value}"`,
  notConfirmed: (url: string) => `not confirmed: ${url} was left as it was`,
  notConfirmedFix: 'type the storage URL when asked, or pass --yes to remove it without asking',
  confirm: (url: string) =>
    `This deletes every object in ${url}, and the bucket or directory itself: every package, user and token. Type the URL to confirm: `,
  migrateDomain:
    'not needed: the registry stores relative tarball paths and builds URLs from each request, so moving it to another domain changes no stored document (codebox-npm stored absolute URLs; import-codebox drops them).',
  interrupted: (command: string) =>
    `interrupted: run \`myorg-admin ${command}\` again to finish; nothing done is done twice`,
  runAgain: (command: string) =>
    `some items failed (see above): fix the cause and run \`myorg-admin ${command}\` again; what succeeded is not repeated`,
  dryRun: 'dry run: nothing was written',
  // myorg-admin block
  blocked: (entry: string) => `blocked ${entry}; every registry instance applies it within seconds`,
  unblocked: (entry: string) => `removed the block ${entry}`,
  noBlocks: 'no blocks',
  // Why an import-codebox entry was skipped.
  invalidName: 'not a valid npm package name',
  indexGone: 'index.json was removed while importing',
  indexNotJson: 'index.json is not JSON',
  indexNotObject: 'index.json is not a JSON object',
  indexNamesOther: (name: unknown) =>
    `index.json is the packument of ${JSON.stringify(name)}, not of its folder`,
  indexWithoutVersions: 'index.json has no "versions" object',
  invalidVersion: 'not a valid semver version',
  manifestNotObject: 'its manifest is not an object',
  manifestMismatch: 'its manifest names another package or version',
  distWithoutHashes: 'dist has neither shasum nor integrity',
  tarballMissing: (key: string) => `tarball ${key} is missing`,
  shasumMismatch: 'tarball does not match dist.shasum',
  integrityMismatch: 'tarball does not match dist.integrity',
  tarballWithoutIndex: 'tarball of a folder without index.json',
  // verify
  tarballTampered: (key: string) => `tarball ${key} does not match the version's integrity and shasum`,
  tagWithoutVersion: (tag: string, version: string) =>
    `dist-tag ${tag} names ${version}, which is not a version`,
  unreferencedTarball:
    'no version names this tarball (an interrupted import or failed publish left it; never served)',
  packumentGone: 'the packument was removed meanwhile',
  fixFailed: (error: unknown) =>
    `--fix could not remove the versions whose tarball is missing: ${error instanceof Error ? error.message : String(error)}`,
  // import
  differsFromBackup: 'already stored with other bytes than the backup’s: kept as stored',
} as const;
