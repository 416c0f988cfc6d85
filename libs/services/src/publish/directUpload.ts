import { createReadStream, openAsBlob } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BadGatewayError, BadRequestError, PayloadTooLargeError } from '@myorg/error';
import { createDigester, isPlainObject } from '@myorg/utilities';
import PackageJson from '@npmcli/package-json';
import type { UploadedTarball } from '../registry/publishDocument.ts';
import { type DirectUpload, RegistryClient } from '../registry/RegistryClient.ts';
import { isPublishConflict } from '../registry/RegistryError.ts';
import type { Manifest } from '../registry/types.ts';
import { npmFailure, npmPublish, PUBLISH_TIMEOUT_MS, withNpm } from './npmPublish.ts';
import type { Uploader } from './types.ts';

/**
 * Publishes through our registry's direct upload when it offers one (on S3 storage), so the
 * tarball never passes through a request (AWS Lambda takes 6 MB): packs with the real `npm pack`
 * (npm's `files`, ignore and lifecycle rules), PUTs the tarball to the signed URL, then publishes
 * with npm's own body, the attachment naming the upload. Any other registry, or ours on storage
 * that cannot sign URLs, gets `npm publish`.
 */
export const directUpload: Uploader = async (pkg, target, options) => {
  const client = new RegistryClient({
    registry: target.registryUrl,
    ...(target.token === undefined ? {} : { token: target.token }),
    // The registry hashes and inspects the whole tarball before it answers the commit.
    timeoutMs: PUBLISH_TIMEOUT_MS,
  });
  const upload = await client.requestUpload();
  if (upload === undefined) return npmPublish(pkg, target, options);
  return withNpm(pkg, target, async (npm, work) => {
    const packed = join(work, 'packed');
    await mkdir(packed);
    await npm(['pack', pkg.dir, '--pack-destination', packed]).catch((error: unknown) => {
      throw npmFailure('pack', error);
    });
    const [fileName] = await readdir(packed);
    if (fileName === undefined) throw new BadGatewayError(`npm pack made no tarball of ${pkg.dir}`);
    const tarball = await sendTarball(upload, join(packed, fileName));
    // Read after packing, as npm does: a prepack script may have changed package.json.
    const manifest: Manifest = {
      ...(await publishManifest(pkg.dir)),
      _npmVersion: (await npm(['--version'])).trim(),
    };
    const { access } = isPlainObject(manifest.publishConfig) ? manifest.publishConfig : {};
    try {
      await client.publish(manifest, tarball, {
        tag: options.tag,
        ...(access === 'public' || access === 'restricted' ? { access } : {}),
      });
      return 'published';
    } catch (error) {
      if (isPublishConflict(error)) return 'already-published';
      throw error;
    }
  });
};

/** PUTs the packed tarball to the upload's URL and answers what the commit says of it. */
async function sendTarball(upload: DirectUpload, file: string): Promise<UploadedTarball> {
  const digester = createDigester();
  for await (const chunk of createReadStream(file)) digester.update(chunk as Buffer);
  const { sha1, integrity, size } = digester.digest();
  if (size > upload.maxBytes) {
    throw new PayloadTooLargeError(
      `the tarball has ${size} bytes; the registry takes uploads of at most ${upload.maxBytes} bytes`,
    );
  }
  // A Blob body is sent with its Content-Length, which a signed S3 PUT requires.
  const response = await fetch(upload.url, {
    method: upload.method,
    headers: upload.headers,
    body: await openAsBlob(file),
    signal: AbortSignal.timeout(PUBLISH_TIMEOUT_MS),
  });
  if (response.ok) {
    await response.body?.cancel();
  } else {
    const detail = (await response.text()).slice(0, 600);
    throw new BadGatewayError(`uploading the tarball failed with HTTP ${response.status}: ${detail}`, {
      code: `E${response.status}`,
    });
  }
  return { upload: upload.id, shasum: sha1, integrity, length: size };
}

/**
 * The manifest `npm publish` sends for a folder: package.json with `npm pkg fix` and npm's
 * publish-time preparation applied (readme, gitHead, normalised fields), and `_nodeVersion`
 * (the caller adds `_npmVersion`, as libnpmpublish does).
 */
async function publishManifest(dir: string): Promise<Manifest> {
  const fixed = await PackageJson.fix(dir);
  const { content } = await fixed.prepare();
  const { name, version } = content;
  if (typeof name !== 'string' || typeof version !== 'string') {
    throw new BadRequestError(`${dir}/package.json needs a name and a version to publish`);
  }
  if (content.private) {
    throw new BadRequestError(`${name} is marked private: remove "private" to publish it`, {
      code: 'EPRIVATE',
    });
  }
  return { ...content, name, version, _nodeVersion: process.versions.node };
}
