import { createHash } from 'node:crypto';
import { MemoryStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { type PublishRequest, parsePublishBody } from '../src/publish/parsePublishBody.ts';
import { receivePublishBody } from '../src/publish/receivePublishBody.ts';
import { TarballStore } from '../src/storage/TarballStore.ts';
import { publishBody } from './support/publishBody.ts';

const tarballs = new TarballStore(new MemoryStorage());

/** Parses `body` as the publish route does: streamed in, its tarball staged, then checked. */
async function parse(name: string, body: unknown): Promise<PublishRequest> {
  async function* sent(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(JSON.stringify(body));
  }
  const received = await receivePublishBody(sent(), tarballs, {
    maxDocumentBytes: 1024 ** 2,
  });
  return parsePublishBody(name, received.body);
}

type Body = ReturnType<typeof publishBody>;

function withChange(change: (body: Body) => void, name = 'demo', version = '1.0.0'): Body {
  const body = publishBody(name, version);
  change(body);
  return body;
}

const refusals: [string, unknown, RegExp][] = [
  ['a body that is not an object', [], /must be a JSON object/],
  [
    'a body naming another package',
    withChange((b) => (b.name = 'other')),
    /does not match the name in the body/,
  ],
  [
    'an _id naming another package',
    withChange((b) => (b._id = 'other')),
    /^_id in the body is "other", but a document of package demo must have _id "demo" \(its name\) or none$/,
  ],
  [
    'two versions',
    withChange((b) => Object.assign(b.versions, { '2.0.0': b.versions['1.0.0'] })),
    /exactly one version/,
  ],
  ['no versions', withChange((b) => (b.versions = {})), /exactly one version; this one carries 0/],
  [
    'a version that is not semver',
    withChange((b) => (b.versions = { 'not-semver': b.versions['1.0.0']! })),
    /invalid version/,
  ],
  [
    'a manifest that is not an object',
    withChange((b) => Object.assign(b.versions, { '1.0.0': 'x' })),
    /package.json object/,
  ],
  [
    'a manifest naming another package',
    withChange((b) => (b.versions['1.0.0']!.name = 'evil')),
    /package.json name/,
  ],
  [
    'a manifest with another version',
    withChange((b) => (b.versions['1.0.0']!.version = '2.0.0')),
    /holds a package.json/,
  ],
  [
    'dist-tags that are not an object',
    withChange((b) => Object.assign(b, { 'dist-tags': 'latest' })),
    /dist-tags must be/,
  ],
  [
    'two dist-tags',
    withChange((b) => (b['dist-tags'] = { latest: '1.0.0', beta: '1.0.0' })),
    /at most one dist-tag/,
  ],
  [
    'a tag on another version',
    withChange((b) => (b['dist-tags'] = { latest: '0.9.0' })),
    /must point at the version/,
  ],
  [
    'a tag that is a semver range',
    withChange((b) => (b['dist-tags'] = { '1.x': '1.0.0' })),
    /invalid dist-tag/,
  ],
  ['no attachment', withChange((b) => (b._attachments = {})), /exactly one tarball attachment/],
  [
    'two attachments',
    withChange((b) => Object.assign(b._attachments, { 'demo-1.0.0.sigstore': { data: 'e30=' } })),
    /exactly one tarball attachment; this one carries 2/,
  ],
  [
    'an attachment named for traversal',
    withChange((b) => (b._attachments = { '../../etc/demo-1.0.0.tgz': b._attachments['demo-1.0.0.tgz']! })),
    /expected demo-1.0.0.tgz/,
  ],
  [
    'an attachment named for another version',
    withChange((b) => (b._attachments = { 'demo-2.0.0.tgz': b._attachments['demo-1.0.0.tgz']! })),
    /attachment is named/,
  ],
  [
    'an attachment without data',
    withChange((b) => Object.assign(b._attachments, { 'demo-1.0.0.tgz': 'x' })),
    /base64 "data"/,
  ],
  [
    'data that is not base64',
    withChange((b) => (b._attachments['demo-1.0.0.tgz']!.data = 'not base64!')),
    /not base64/,
  ],
  ['empty data', withChange((b) => (b._attachments['demo-1.0.0.tgz']!.data = '')), /empty/],
  [
    'a wrong declared length',
    withChange((b) => (b._attachments['demo-1.0.0.tgz']!.length = 3)),
    /^tarball attachment "length" is 3, but its data decodes to \d+ bytes: length must be the size of the .tgz in bytes$/,
  ],
  [
    'data that is not gzip',
    withChange((b) => {
      b._attachments['demo-1.0.0.tgz']!.data = Buffer.from('plain text, no gzip').toString('base64');
      b._attachments['demo-1.0.0.tgz']!.length = 19;
    }),
    /not a gzip file/,
  ],
  [
    'no dist.shasum',
    withChange((b) => Object.assign(b.versions['1.0.0']!, { dist: {} })),
    /missing dist.shasum/,
  ],
  [
    'a wrong shasum',
    withChange((b) => (b.versions['1.0.0']!.dist.shasum = 'a'.repeat(40))),
    /shasum mismatch/,
  ],
  [
    'a wrong integrity',
    withChange(
      (b) =>
        (b.versions['1.0.0']!.dist.integrity = `sha512-${createHash('sha512').update('x').digest('base64')}`),
    ),
    /integrity mismatch/,
  ],
  [
    'an integrity without sha512',
    withChange((b) => (b.versions['1.0.0']!.dist.integrity = 'sha1-abc')),
    /not a valid sha512/,
  ],
];

describe('parsePublishBody', () => {
  it('accepts what npm publish sends and keeps the tarball out of the manifest', async () => {
    // Prepare
    const body = publishBody('@scope/demo', '1.2.3', {
      tag: 'beta',
      readme: '# demo',
      manifest: { description: 'd' },
    });

    // Act
    const request = await parse('@scope/demo', body);

    // Assess
    expect(request).toMatchObject({ name: '@scope/demo', version: '1.2.3', tag: 'beta', readme: '# demo' });
    expect(request.manifest).toMatchObject({
      _id: '@scope/demo@1.2.3',
      description: 'd',
      dist: { tarball: '@scope/demo/-/demo-1.2.3.tgz', shasum: body.versions['1.2.3']!.dist.shasum },
    });
    expect(request.manifest).not.toHaveProperty('readme');
    const staged = Buffer.concat(await (await tarballs.readStaged(request.tarball.key)).toArray());
    expect(staged.equals(Buffer.from(body._attachments['@scope/demo-1.2.3.tgz']!.data, 'base64'))).toBe(true);
  });

  it('accepts the unscoped tarball name as the attachment name and defaults the tag to latest', async () => {
    // Prepare
    const body = publishBody('@scope/demo', '1.0.0');
    body._attachments = { 'demo-1.0.0.tgz': body._attachments['@scope/demo-1.0.0.tgz']! };
    Object.assign(body, { 'dist-tags': undefined });

    // Act
    const request = await parse('@scope/demo', body);

    // Assess
    expect(request.tag).toBe('latest');
  });

  it('computes the integrity when an older client sent only the shasum', async () => {
    // Prepare
    const body = publishBody('demo', '1.0.0');
    const { integrity, ...dist } = body.versions['1.0.0']!.dist;
    Object.assign(body.versions['1.0.0']!, { dist });

    // Act
    const request = await parse('demo', body);

    // Assess
    expect(request.manifest.dist.integrity).toBe(integrity);
  });

  it('refuses a name npm no longer allows even when URL and body agree', async () => {
    await expect(parse('Demo', publishBody('Demo', '1.0.0'))).rejects.toThrow(/invalid package name/);
  });

  for (const [what, body, message] of refusals) {
    it(`refuses ${what} with 400`, async () => {
      await expect(parse('demo', body)).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(message),
      });
    });
  }
});
