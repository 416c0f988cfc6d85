/**
 * Every message a client sees, in one place and in the words npm users know. npm prints the
 * `error` field of a 4xx body after the status line, so each one says what to do next where it can.
 */
export const Messages = {
  // Reads
  noSuchPackage: 'no such package available',
  noSuchVersion: (name: string, spec: string) => `version not found: ${name}@${spec}`,
  noSuchTarball: (fileName: string) => `no such tarball: ${fileName}`,
  unknownRoute: (method: string, path: string) => `no such endpoint: ${method} ${path}`,
  noSigningKeys:
    'this registry signs no packages and proxies no registry that does, so it has no signing keys',
  noAttestations: (name: string, version: string) => `no attestations for ${name}@${version}`,

  // Authorisation
  loginRequired: 'authentication required: run `npm login` (or set a token in .npmrc) first',
  readOnlyToken: 'this token is read-only: create a publish token with `npm token create` to write',

  // Bodies
  documentTooLarge: (limit: number) =>
    `request body exceeds the limit of ${limit} bytes for everything but the tarball data`,
  bodyMustBeObject: 'request body must be a JSON object',
  /** The 413 of the registry on AWS Lambda, whose requests carry 6 MB at most whatever the settings. */
  bodyOverLambdaLimit: (limit: number) =>
    `request body exceeds the limit of ${limit} bytes: this registry runs on AWS Lambda behind API Gateway, where one request carries at most 6 MB (and larger ones never reach the registry); publish larger packages through the release pipeline, which uploads the tarball straight to the registry's storage and then publishes it`,

  // Publish
  nameMismatch: (urlName: string, bodyName: unknown) =>
    `package name in the URL (${urlName}) does not match the name in the body (${String(bodyName)})`,
  idMismatch: (urlName: string, id: unknown) =>
    `_id in the body is ${JSON.stringify(id)}, but a document of package ${urlName} must have _id "${urlName}" (its name) or none`,
  manifestNameMismatch: (name: string, manifestName: unknown) =>
    `package.json name (${String(manifestName)}) does not match the package name (${name})`,
  manifestVersionMismatch: (key: string, manifestVersion: unknown) =>
    `version ${key} holds a package.json whose version is ${String(manifestVersion)}`,
  oneVersionPerPublish: (count: number) =>
    `a publish must carry exactly one version; this one carries ${count}`,
  oneAttachmentPerPublish: (count: number) =>
    `a publish must carry exactly one tarball attachment; this one carries ${count}`,
  manifestMustBeObject: 'each version must be a package.json object',
  distTagsMustBeObject: 'dist-tags must be an object of tag names to versions',
  tagMustPointAtPublishedVersion: (tag: string, version: unknown) =>
    `dist-tag ${tag} must point at the version being published, not ${String(version)}`,
  oneTagPerPublish: 'a publish sets at most one dist-tag',
  attachmentName: (fileName: string, expected: string) =>
    `tarball attachment is named ${JSON.stringify(fileName)}; expected ${expected}`,
  attachmentMustBeObject: 'a tarball attachment must be an object with base64 "data"',
  attachmentNotBase64: 'tarball attachment data is not base64',
  attachmentLength: (declared: unknown, actual: number) =>
    `tarball attachment "length" is ${JSON.stringify(declared)}, but its data decodes to ${actual} bytes: length must be the size of the .tgz in bytes`,
  attachmentEmpty: 'tarball attachment is empty',
  attachmentNotGzip: 'tarball attachment is not a gzip file (npm pack makes a .tgz)',
  attachmentCorrupt: 'tarball attachment is a damaged or incomplete gzip file: pack it again',
  attachmentNotTar: 'tarball attachment is gzip but holds no tar archive (npm pack makes a .tgz)',
  attachmentTooLarge: (limit: number) => `tarball attachment unpacks to more than ${limit} bytes`,
  tarballWithoutPackageJson:
    'the tarball holds no package.json in its package folder: pack it with `npm pack`',
  tarballPackageJsonTwice: 'the tarball holds more than one package.json in its package folder',
  tarballPackageJsonNotFile: 'the package.json in the tarball is a link or a folder, not a file',
  tarballPackageJsonTooLarge: (limit: number) =>
    `the package.json in the tarball is larger than ${limit} bytes`,
  tarballPackageJsonInvalid: (reason: string) => `the package.json in the tarball is not valid: ${reason}`,
  tarballDisagrees: (field: string, manifest: unknown, tarball: unknown) =>
    `the manifest's ${field} ${JSON.stringify(manifest)} differs from the ${field} in the tarball's package.json, ${JSON.stringify(tarball)}: publish with npm or pnpm, which send the packed package.json`,
  tarballFieldDisagrees: (field: string) =>
    `the manifest's "${field}" differs from "${field}" in the tarball's package.json, which is what installs: publish with npm or pnpm, which send the packed package.json`,
  distMissing: 'version is missing dist.shasum: publish with the npm CLI',
  shasumMismatch: (declared: string, actual: string) =>
    `shasum mismatch: dist.shasum is ${declared} but the tarball's sha1 is ${actual}`,
  integrityMismatch: 'integrity mismatch: dist.integrity does not match the tarball (sha512)',
  integrityInvalid: 'dist.integrity is not a valid sha512 integrity string',
  provenanceAttachments: (fileNames: readonly string[], expected: string) =>
    `a publish carries at most one provenance attachment, ${expected}; this one carries ${fileNames.map((file) => JSON.stringify(file)).join(', ')}`,
  provenanceInvalid: (reason: string) =>
    `the provenance attachment is not usable: ${reason}. Publish with \`npm publish --provenance\` from a supported CI, or without --provenance`,
  versionExists: (versions: string) => `cannot publish over the previously published versions: ${versions}`,

  // Direct uploads (POST /-/myorg/v1/uploads, then PUT /:pkg naming the upload)
  uploadAndData:
    'a tarball attachment carries either base64 "data" or the "upload" id of a direct upload, not both',
  uploadIdInvalid: 'attachment "upload" must be the id answered by POST /-/myorg/v1/uploads',
  uploadUnknown: (id: string) =>
    `upload ${id} is unknown, already committed or expired: request a new upload and PUT the tarball again`,
  uploadForeign: (id: string) => `upload ${id} was offered to another user`,
  uploadMissing: (id: string) =>
    `nothing was uploaded for upload ${id}: PUT the tarball to its URL before publishing, with a new upload`,
  uploadTooLarge: (size: number, limit: number) =>
    `the uploaded tarball has ${size} bytes, more than the limit of ${limit} bytes`,

  // Changes through PUT /:pkg/-rev/:rev
  staleRevision: (given: string, current: string) =>
    `revision ${given} is out of date (now ${current}): fetch the package again and retry`,
  unsupportedChange:
    'unsupported package change: only deprecating, undeprecating and unpublishing versions are accepted here',
  deprecatedMustBeString: (version: string) => `versions.${version}.deprecated must be a string`,
  unknownVersionInChange: (version: string) =>
    `version ${version} is not published; publish it with \`npm publish\` instead`,
  lastVersion: 'cannot unpublish every version this way: unpublish the package instead',
  maintainersInvalid: 'maintainers must be a list of at least one { "name": "...", "email": "..." }',
  noSuchMaintainer: (user: string, name: string) =>
    `cannot make ${user} a maintainer of ${name}: there is no user "${user}" on this registry`,
  tarballStillPublished: (fileName: string) =>
    `${fileName} belongs to a published version: unpublish the version before its tarball`,

  // dist-tags
  tagBodyMustBeVersion: 'dist-tag body must be a JSON string holding a version, such as "1.2.3"',
  tagVersionMissing: (name: string, version: string) =>
    `cannot tag ${name}@${version}: that version is not published`,
  latestCannotBeDeleted: 'the latest dist-tag cannot be deleted: point it at another version instead',
  noSuchTag: (tag: string) => `no such dist-tag: ${tag}`,

  // Search
  badSearchParameter: (parameter: string) => `${parameter} must be a whole number`,

  // Successes: npm ignores these bodies, people reading logs do not.
  created: 'created new package',
  updated: 'package changed',
  removed: 'package removed',
  tarballRemoved: 'tarball removed',
  tagged: 'package tagged',
  untagged: 'tag removed',
} as const;
