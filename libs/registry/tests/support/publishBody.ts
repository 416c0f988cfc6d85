import { createHash } from 'node:crypto';
import { makeTarball } from './tarball.ts';

export interface PublishBodyOptions {
  tag?: string;
  /** Extra package.json fields (description, keywords, dependencies...). */
  manifest?: Record<string, unknown>;
  tarball?: Buffer;
  readme?: string;
}

/** A publish body shaped exactly as the npm CLI (libnpmpublish) sends it. */
export function publishBody(name: string, version: string, options: PublishBodyOptions = {}) {
  const { tag = 'latest', manifest = {}, readme } = options;
  const packageJson = { name, version, ...manifest };
  const tarball =
    options.tarball ??
    makeTarball({
      'package.json': JSON.stringify(packageJson, null, 2),
      'index.js': `module.exports = '${version}';\n`,
    });
  const fileName = `${name}-${version}.tgz`;
  return {
    _id: name,
    name,
    description: manifest.description,
    'dist-tags': { [tag]: version },
    versions: {
      [version]: {
        ...packageJson,
        ...(readme === undefined ? {} : { readme }),
        _id: `${name}@${version}`,
        _nodeVersion: '24.0.0',
        _npmVersion: '11.0.0',
        dist: {
          integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
          shasum: createHash('sha1').update(tarball).digest('hex'),
          tarball: `http://127.0.0.1/${name}/-/${fileName}`,
        },
      },
    },
    access: 'public',
    _attachments: {
      [fileName]: {
        content_type: 'application/octet-stream',
        data: tarball.toString('base64'),
        length: tarball.length,
      },
    },
  };
}
