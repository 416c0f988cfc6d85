import { integrityOf, sha1Hex } from '@myorg/utilities';
import { assertPackageName, tarballFileName } from '@myorg/validation';
import type { Manifest, VersionManifest } from './types.ts';

export interface PublishOptions {
  /** The dist-tag the version gets. Defaults to `latest`. */
  tag?: string;
  access?: 'public' | 'restricted';
}

/** The JSON body of `PUT /<name>`: the packument fragment npm's own client sends to publish one version. */
export interface PublishDocument {
  _id: string;
  name: string;
  description?: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, VersionManifest>;
  access?: 'public' | 'restricted';
  _attachments: Record<string, { content_type: 'application/octet-stream'; data: string; length: number }>;
}

/**
 * Builds the publish body for `manifest` (the package.json) and its tarball. `registry` is the
 * normalised base URL (ending in `/`); the tarball address under it is where the registry will
 * serve the file: `<registry><name>/-/<unscoped name>-<version>.tgz`.
 */
export function publishDocument(
  registry: string,
  manifest: Manifest,
  tarball: Uint8Array,
  options: PublishOptions = {},
): PublishDocument {
  const { name, version } = manifest;
  // A new version: the rules for new names, not the legacy ones reads accept.
  assertPackageName(name);
  const fileName = tarballFileName(name, version);
  const tag = options.tag ?? 'latest';
  const bytes = Buffer.from(tarball.buffer, tarball.byteOffset, tarball.byteLength);
  const stamped: VersionManifest = {
    ...manifest,
    _id: `${name}@${version}`,
    dist: {
      shasum: sha1Hex(bytes),
      integrity: integrityOf(bytes),
      tarball: `${registry}${name}/-/${fileName}`,
    },
  };
  return {
    _id: name,
    name,
    ...(manifest.description === undefined ? {} : { description: manifest.description }),
    'dist-tags': { [tag]: version },
    versions: { [version]: stamped },
    ...(options.access === undefined ? {} : { access: options.access }),
    _attachments: {
      [fileName]: {
        content_type: 'application/octet-stream',
        data: bytes.toString('base64'),
        length: bytes.length,
      },
    },
  };
}
