import { BadRequestError } from '@myorg/error';
import { integrityMatchesDigest, isPlainObject } from '@myorg/utilities';
import { assertDistTag, assertPackageName, assertVersion, tarballFileName } from '@myorg/validation';
import { Messages } from '../messages.ts';
import { attestationsPath, tarballPath } from '../packument/tarballPath.ts';
import type { VersionManifest } from '../packument/types.ts';
import type { Attestation } from '../storage/AttestationStore.ts';
import { isProvenanceFileName, provenanceAttestation, provenanceFileName } from './provenanceAttachment.ts';
import { StagedTarball } from './StagedTarball.ts';

/** A publish that passed every check: one version, its tarball, and the tag to point at it. */
export interface PublishRequest {
  name: string;
  version: string;
  tag: string;
  /** The manifest as it will be stored: `_id`, verified `dist` with a relative tarball path, no readme. */
  manifest: VersionManifest;
  readme: string | undefined;
  tarball: StagedTarball;
  /** The provenance bundle `npm publish --provenance` sent, checked against the tarball. */
  provenance: Attestation | undefined;
}

function refuse(message: string, code = 'EBADPUBLISH'): BadRequestError {
  return new BadRequestError(message, { code });
}

/**
 * Checks a publish body (`PUT /:pkg` from `npm publish`, its attachment's data already staged by
 * `receivePublishBody`) against the package name in the URL and returns what to store. Nothing is
 * stored here: names agree (URL, body, manifest) and are valid, there is exactly one version and
 * one tarball attachment named after it, the attachment is gzip, and its sha1 and sha512 match
 * `dist`; a provenance attachment beside it must attest this version and these bytes.
 */
export function parsePublishBody(urlName: string, body: unknown): PublishRequest {
  if (!isPlainObject(body)) throw refuse(Messages.bodyMustBeObject);
  if (body.name !== urlName) throw refuse(Messages.nameMismatch(urlName, body.name));
  if (body._id !== undefined && body._id !== urlName) throw refuse(Messages.idMismatch(urlName, body._id));
  const name = assertPackageName(urlName);

  const versions = body.versions;
  const versionKeys = isPlainObject(versions) ? Object.keys(versions) : [];
  if (!isPlainObject(versions) || versionKeys.length !== 1)
    throw refuse(Messages.oneVersionPerPublish(versionKeys.length));
  const version = assertVersion(versionKeys[0]);
  const manifest = versions[version];
  if (!isPlainObject(manifest)) throw refuse(Messages.manifestMustBeObject);
  if (manifest.name !== name) throw refuse(Messages.manifestNameMismatch(name, manifest.name));
  if (manifest.version !== version) throw refuse(Messages.manifestVersionMismatch(version, manifest.version));

  const tag = publishTag(body['dist-tags'], version);
  const attachments = publishAttachments(body._attachments, name, version);
  const tarball = stagedTarball(attachments.tarball);
  const dist = verifiedDist(manifest.dist, tarball);
  const sha512Hex = Buffer.from(tarball.digest.sha512, 'base64').toString('hex');
  const provenance =
    attachments.provenance === undefined
      ? undefined
      : provenanceAttestation(attachments.provenance, name, version, sha512Hex);

  const { readme, _rev: _ignoredRevision, ...fields } = manifest;
  return {
    name,
    version,
    tag,
    manifest: {
      ...fields,
      name,
      version,
      _id: `${name}@${version}`,
      dist: {
        ...dist,
        tarball: tarballPath(name, version),
        ...(provenance && {
          attestations: {
            url: attestationsPath(name, version),
            provenance: { predicateType: provenance.predicateType },
          },
        }),
      },
    },
    readme: typeof readme === 'string' ? readme : undefined,
    tarball,
    provenance,
  };
}

/** The one tag a publish sets (`npm publish --tag beta`); `latest` when the body names none. */
function publishTag(distTags: unknown, version: string): string {
  if (distTags === undefined) return 'latest';
  if (!isPlainObject(distTags)) throw refuse(Messages.distTagsMustBeObject);
  const [first, ...others] = Object.entries(distTags);
  if (first === undefined) return 'latest';
  if (others.length > 0) throw refuse(Messages.oneTagPerPublish);
  const [tag, target] = first;
  assertDistTag(tag);
  if (target !== version) throw refuse(Messages.tagMustPointAtPublishedVersion(tag, target));
  return tag;
}

/**
 * The attachments of `name`@`version`: one tarball, which npm names `<name>-<version>.tgz` with the
 * scope kept (`@scope/pkg-1.0.0.tgz`; the tarball file name `pkg-1.0.0.tgz` is accepted too), and
 * with `--provenance` its bundle, `<name>-<version>.sigstore`. Nothing else.
 */
function publishAttachments(
  attachments: unknown,
  name: string,
  version: string,
): { tarball: unknown; provenance: unknown } {
  const entries = isPlainObject(attachments) ? Object.entries(attachments) : [];
  const bundles = entries.filter(([fileName]) => isProvenanceFileName(fileName));
  const tarballs = entries.filter(([fileName]) => !isProvenanceFileName(fileName));
  const [only] = tarballs;
  if (only === undefined || tarballs.length !== 1)
    throw refuse(Messages.oneAttachmentPerPublish(tarballs.length));
  const [fileName, tarball] = only;
  const expected = tarballFileName(name, version);
  if (fileName !== `${name}-${version}.tgz` && fileName !== expected) {
    throw refuse(Messages.attachmentName(fileName, expected));
  }
  const [bundle, ...others] = bundles;
  if (bundle === undefined) return { tarball, provenance: undefined };
  const expectedBundle = provenanceFileName(name, version);
  if (others.length > 0 || bundle[0] !== expectedBundle) {
    throw refuse(
      Messages.provenanceAttachments(
        bundles.map(([file]) => file),
        expectedBundle,
      ),
    );
  }
  return { tarball, provenance: bundle[1] };
}

/**
 * The staged tarball of an attachment (`{ content_type, data, length }`), refused unless its data
 * was base64 (checked while staging), is not empty, has its declared length (when given) and is
 * gzip: npm only ever publishes a gzipped tar, and anything else would break installs later.
 */
function stagedTarball(attachment: unknown): StagedTarball {
  if (!isPlainObject(attachment) || !(attachment.data instanceof StagedTarball)) {
    throw refuse(Messages.attachmentMustBeObject, 'EBADATTACHMENT');
  }
  const { data: tarball, length } = attachment;
  if (tarball.size === 0) throw refuse(Messages.attachmentEmpty, 'EBADATTACHMENT');
  if (length !== undefined && length !== tarball.size) {
    throw refuse(Messages.attachmentLength(length, tarball.size), 'EBADATTACHMENT');
  }
  if (!tarball.gzipMagic) throw refuse(Messages.attachmentNotGzip, 'EBADATTACHMENT');
  return tarball;
}

/**
 * `dist` with its hashes checked against the tarball's; a missing integrity is filled in. What only
 * a registry vouches for (`signatures`, `attestations`) is never taken from the client.
 */
function verifiedDist(sent: unknown, tarball: StagedTarball): VersionManifest['dist'] {
  if (!isPlainObject(sent)) throw refuse(Messages.distMissing);
  const { signatures: _signatures, attestations: _attestations, ...dist } = sent;
  if (typeof dist.shasum !== 'string') throw refuse(Messages.distMissing);
  const { sha1, integrity: actual } = tarball.digest;
  if (dist.shasum.toLowerCase() !== sha1) throw refuse(Messages.shasumMismatch(dist.shasum, sha1), 'ESHASUM');
  let integrity: string;
  if (dist.integrity === undefined) {
    integrity = actual;
  } else {
    if (typeof dist.integrity !== 'string' || !/(?:^|\s)sha512-/.test(dist.integrity)) {
      throw refuse(Messages.integrityInvalid, 'EINTEGRITY');
    }
    if (!integrityMatchesDigest(dist.integrity, actual))
      throw refuse(Messages.integrityMismatch, 'EINTEGRITY');
    integrity = dist.integrity;
  }
  return { ...dist, shasum: sha1, integrity, tarball: '' };
}
