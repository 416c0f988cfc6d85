/**
 * The registry's storage layout, in one place (see README "Storage layout"):
 *
 * - `packuments/<name>.json`: one document per package (`packuments/@scope/name.json` for
 *   scoped ones), without attachments and with relative tarball paths;
 * - `tarballs/<name>/<version>/<sha1>.tgz`: the bytes of one version, addressed by content, so a
 *   retried or racing publish can never change bytes a packument already points at;
 * - `attestations/<name>/<version>/<sha1>.json`: the attestations a publish carried (its provenance
 *   bundle), as npm's attestations endpoint answers them, beside the tarball they attest and
 *   addressed the same way, so only the version's own bytes are ever vouched for;
 * - `pending/<uuid>.tgz`: a publish's tarball while it is checked, never served; removed when the

 *   publish ends, or swept once old if the process died first. A direct upload
 *   (`POST /-/myorg/v1/uploads`) lands under the same kind of key, next to `pending/<uuid>.json`,
 *   the record of who may commit it; both go when it is committed, or with the sweep;
 * - `rendered/<name>/<etag>.<encoding>.json`: a packument body too large for the transport (Lambda),
 *   as sent, named by the digest of its bytes; a copy that can be rendered again (an S3 lifecycle
 *   rule may expire the prefix).
 *
 * Names and versions are validated before they get here, and the storage refuses any key that
 * could leave its root, so a name can never become a path outside these folders.
 */
export const PACKUMENTS_PREFIX = 'packuments/';
export const TARBALLS_PREFIX = 'tarballs/';
export const PENDING_TARBALLS_PREFIX = 'pending/';
export const RENDERED_PREFIX = 'rendered/';
export const ATTESTATIONS_PREFIX = 'attestations/';

export function tarballKey(name: string, version: string, shasum: string): string {
  return `${tarballVersionPrefix(name, version)}${shasum}.tgz`;
}

/** The folder holding every tarball ever uploaded for one version (normally one). */
export function tarballVersionPrefix(name: string, version: string): string {
  return `${TARBALLS_PREFIX}${name}/${version}/`;
}

export function attestationsKey(name: string, version: string, shasum: string): string {
  return `${ATTESTATIONS_PREFIX}${name}/${version}/${shasum}.json`;
}

export function pendingTarballKey(id: string): string {
  return `${PENDING_TARBALLS_PREFIX}${id}.tgz`;
}

/** Who may commit the direct upload `pending/<id>.tgz`, until it is committed once. */
export function uploadRecordKey(id: string): string {
  return `${PENDING_TARBALLS_PREFIX}${id}.json`;
}

/** `etag` is a quoted strong ETag of the identity bytes (base64url inside the quotes). */
export function renderedBodyKey(name: string, etag: string, encoding: string): string {
  return `${RENDERED_PREFIX}${name}/${etag.replaceAll('"', '')}.${encoding}.json`;
}
