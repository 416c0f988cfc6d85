import { BadRequestError } from '@myorg/error';
import { isPlainObject, MAX_JSON_DEPTH, safeJsonParse } from '@myorg/utilities';
import { Messages } from '../messages.ts';
import type { Attestation } from '../storage/AttestationStore.ts';

/**
 * The most bytes of a provenance bundle: npm's are a signing certificate, a transparency-log entry
 * and a DSSE envelope around a SLSA statement, about 10 KB; a CI with a long workflow path or many
 * materials stays far below this.
 */
export const MAX_PROVENANCE_BYTES = 256 * 1024;
/** Far more object members than a bundle has (a few hundred), and few enough to parse at once. */
const MAX_PROVENANCE_MEMBERS = 10_000;
/** What every Sigstore bundle's `mediaType` (and npm's attachment `content_type`) starts with. */
const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle';
const IN_TOTO_PAYLOAD = 'application/vnd.in-toto+json';

/** The attachment `npm publish --provenance` adds beside the tarball (libnpmpublish `buildMetadata`). */
export function provenanceFileName(name: string, version: string): string {
  return `${name}-${version}.sigstore`;
}

/** Whether an `_attachments` key names a provenance bundle rather than a tarball. */
export function isProvenanceFileName(fileName: string): boolean {
  return fileName.endsWith('.sigstore');
}

function refuse(reason: string): BadRequestError {
  return new BadRequestError(Messages.provenanceInvalid(reason), { code: 'EBADPROVENANCE' });
}

/**
 * The provenance of `name@version` from npm's `.sigstore` attachment (`{ content_type, data, length }`,
 * `data` the bundle's JSON text), checked as cheaply as libnpmpublish checks a `--provenance-file`
 * before it asks Sigstore: a bounded Sigstore bundle whose DSSE envelope holds an in-toto statement
 * about exactly this package (`pkg:npm/<name>@<version>`) and these tarball bytes (`sha512Hex`).
 * The signatures are not verified here: `npm audit signatures` verifies them against Sigstore's
 * roots, and a registry that checked them would need those roots too.
 */
export function provenanceAttestation(
  attachment: unknown,
  name: string,
  version: string,
  sha512Hex: string,
): Attestation {
  if (!isPlainObject(attachment) || typeof attachment.data !== 'string') {
    throw refuse('the attachment must be an object whose "data" is the bundle as JSON text');
  }
  if (Buffer.byteLength(attachment.data) > MAX_PROVENANCE_BYTES) {
    throw refuse(`the bundle is larger than ${MAX_PROVENANCE_BYTES} bytes`);
  }
  const parsed = safeJsonParse(attachment.data, {
    bounds: { maxDepth: MAX_JSON_DEPTH, maxMembers: MAX_PROVENANCE_MEMBERS },
  });
  const bundle = parsed.ok ? parsed.value : undefined;
  if (
    !isPlainObject(bundle) ||
    typeof bundle.mediaType !== 'string' ||
    !bundle.mediaType.startsWith(BUNDLE_MEDIA_TYPE)
  ) {
    throw refuse(`the data is not a Sigstore bundle (${BUNDLE_MEDIA_TYPE}…+json)`);
  }
  const envelope = bundle.dsseEnvelope;
  if (
    !isPlainObject(envelope) ||
    envelope.payloadType !== IN_TOTO_PAYLOAD ||
    typeof envelope.payload !== 'string'
  ) {
    throw refuse(`the bundle holds no DSSE envelope with an ${IN_TOTO_PAYLOAD} payload`);
  }
  if (!Array.isArray(envelope.signatures) || envelope.signatures.length === 0) {
    throw refuse('the DSSE envelope is not signed');
  }
  const statement = safeJsonParse(Buffer.from(envelope.payload, 'base64'), {
    bounds: { maxDepth: MAX_JSON_DEPTH },
  });
  const { subject, predicateType } = statement.ok && isPlainObject(statement.value) ? statement.value : {};
  if (typeof predicateType !== 'string' || predicateType === '') {
    throw refuse('the statement names no predicateType');
  }
  const only: unknown = Array.isArray(subject) && subject.length === 1 ? subject[0] : undefined;
  if (!isPlainObject(only)) throw refuse('the statement must have exactly one subject, the package');
  const { name: subjectName, digest } = only;
  const purl = packagePurl(name, version);
  if (subjectName !== purl) throw refuse(`its subject is ${JSON.stringify(subjectName)}, not ${purl}`);
  if (!isPlainObject(digest) || digest.sha512 !== sha512Hex) {
    throw refuse("its subject's sha512 digest is not the tarball's");
  }
  return { predicateType, bundle };
}

/** The package URL npm puts in the subject: npm-package-arg's `toPurl`, the scope's `@` encoded. */
function packagePurl(name: string, version: string): string {
  return `pkg:npm/${name.replace(/^@/, '%40')}@${version}`;
}
