import { integrityOf, sha1Hex } from '@myorg/utilities';
import { assertPackageName, tarballFileName } from '@myorg/validation';
import type { Manifest, VersionManifest } from './types.ts';

export interface PublishOptions {
  /** The dist-tag the version gets. Defaults to `latest`. */
  tag?: string;
  access?: 'public' | 'restricted';
  /**
   * A Sigstore provenance bundle for the tarball, sent as `npm publish --provenance` sends it
   * (libnpmpublish): a second attachment, `<name>-<version>.sigstore`, holding the bundle's JSON text.
   */
  provenance?: { mediaType: string; [field: string]: unknown };
}

/**
 * A tarball our registry already holds as a direct upload (`RegistryClient.requestUpload`): its id,
 * and the digests and size of the bytes that were uploaded.
 */
export interface UploadedTarball {
  upload: string;
  shasum: string;
  integrity: string;
  length: number;
}

/**
 * An attachment: the tarball as base64 `data` (npm's own), or the id of a direct upload in its
 * place; or a provenance bundle, its `content_type` the bundle's media type.
 */
export type PublishAttachment =
  | ({ content_type: 'application/octet-stream'; length: number } & ({ data: string } | { upload: string }))
  | { content_type: string; data: string; length: number };

/** The JSON body of `PUT /<name>`: the packument fragment npm's own client sends to publish one version. */
export interface PublishDocument {
  _id: string;
  name: string;
  description?: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, VersionManifest>;
  access?: 'public' | 'restricted';
  _attachments: Record<string, PublishAttachment>;
}

/**
 * Builds the publish body for `manifest` (the package.json) and its tarball, given as bytes or as
 * a direct upload. `registry` is the normalised base URL (ending in `/`); the tarball address
 * under it is where the registry will serve the file: `<registry><name>/-/<unscoped name>-<version>.tgz`.
 */
export function publishDocument(
  registry: string,
  manifest: Manifest,
  tarball: Uint8Array | UploadedTarball,
  options: PublishOptions = {},
): PublishDocument {
  const { name, version } = manifest;
  // A new version: the rules for new names, not the legacy ones reads accept.
  assertPackageName(name);
  const fileName = tarballFileName(name, version);
  const tag = options.tag ?? 'latest';
  const { attachment, shasum, integrity } = attach(tarball);
  const stamped: VersionManifest = {
    ...manifest,
    _id: `${name}@${version}`,
    dist: { shasum, integrity, tarball: `${registry}${name}/-/${fileName}` },
  };
  return {
    _id: name,
    name,
    ...(manifest.description === undefined ? {} : { description: manifest.description }),
    'dist-tags': { [tag]: version },
    versions: { [version]: stamped },
    ...(options.access === undefined ? {} : { access: options.access }),
    _attachments: {
      [fileName]: attachment,
      ...(options.provenance && { [`${name}-${version}.sigstore`]: bundleAttachment(options.provenance) }),
    },
  };
}

function bundleAttachment(bundle: { mediaType: string }): PublishAttachment {
  const data = JSON.stringify(bundle);
  // npm sends the string's length, not its bytes; a bundle is ASCII, where both agree.
  return { content_type: bundle.mediaType, data, length: data.length };
}

function attach(tarball: Uint8Array | UploadedTarball): {
  attachment: PublishAttachment;
  shasum: string;
  integrity: string;
} {
  const content_type = 'application/octet-stream';
  if (!(tarball instanceof Uint8Array)) {
    const { upload, shasum, integrity, length } = tarball;
    return { attachment: { content_type, upload, length }, shasum, integrity };
  }
  const bytes = Buffer.from(tarball.buffer, tarball.byteOffset, tarball.byteLength);
  return {
    attachment: { content_type, data: bytes.toString('base64'), length: bytes.length },
    shasum: sha1Hex(bytes),
    integrity: integrityOf(bytes),
  };
}
