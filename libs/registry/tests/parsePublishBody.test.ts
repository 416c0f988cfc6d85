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

/** A Sigstore bundle shaped as npm sends one, whose statement is about `subject`. */
function sigstoreBundle(subject: unknown, envelope: Record<string, unknown> = {}) {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject,
    predicateType: 'https://slsa.dev/provenance/v1',
  };
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: 'AA==' }, tlogEntries: [] },
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: 'AA==', keyid: '' }],
      ...envelope,
    },
  };
}

/** `body` with the `.sigstore` attachment `npm publish --provenance` adds, its bundle about `subject`. */
function withProvenance(
  body: Body,
  bundle: unknown = undefined,
  fileName = `${body.name}-1.0.0.sigstore`,
): Body {
  const [tarball] = Object.values(body._attachments);
  const bytes = Buffer.from(tarball?.data ?? '', 'base64');
  const digest = createHash('sha512').update(bytes).digest('hex');
  const sent =
    bundle ??
    sigstoreBundle([{ name: `pkg:npm/${body.name.replace(/^@/, '%40')}@1.0.0`, digest: { sha512: digest } }]);
  const data = typeof sent === 'string' ? sent : JSON.stringify(sent);
  Object.assign(body._attachments, {
    [fileName]: { content_type: 'application/vnd.dev.sigstore.bundle.v0.3+json', data, length: data.length },
  });
  return body;
}

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
    'two tarball attachments',
    withChange((b) =>
      Object.assign(b._attachments, { 'demo-1.0.0-copy.tgz': b._attachments['demo-1.0.0.tgz'] }),
    ),
    /exactly one tarball attachment; this one carries 2/,
  ],
  [
    'a provenance attachment that is no bundle',
    withProvenance(publishBody('demo', '1.0.0'), 'e30='),
    /provenance attachment is not usable: the data is not a Sigstore bundle/,
  ],
  [
    'a provenance bundle over the size bound',
    withProvenance(publishBody('demo', '1.0.0'), { mediaType: 'x'.repeat(300 * 1024) }),
    /larger than 262144 bytes/,
  ],
  [
    'a provenance bundle nested too deep',
    withProvenance(publishBody('demo', '1.0.0'), `${'['.repeat(100)}${']'.repeat(100)}`),
    /not a Sigstore bundle/,
  ],
  [
    'a provenance bundle about another package',
    withProvenance(
      publishBody('demo', '1.0.0'),
      sigstoreBundle([{ name: 'pkg:npm/other@1.0.0', digest: { sha512: '00' } }]),
    ),
    /its subject is "pkg:npm\/other@1.0.0", not pkg:npm\/demo@1.0.0/,
  ],
  [
    'a provenance bundle about other bytes',
    withProvenance(
      publishBody('demo', '1.0.0'),
      sigstoreBundle([{ name: 'pkg:npm/demo@1.0.0', digest: { sha512: '00' } }]),
    ),
    /sha512 digest is not the tarball's/,
  ],
  [
    'a provenance bundle with two subjects',
    withProvenance(publishBody('demo', '1.0.0'), sigstoreBundle([{}, {}])),
    /exactly one subject/,
  ],
  [
    'an unsigned provenance bundle',
    withProvenance(publishBody('demo', '1.0.0'), sigstoreBundle([], { signatures: [] })),
    /not signed/,
  ],
  [
    'a provenance bundle named for another version',
    withProvenance(publishBody('demo', '1.0.0'), undefined, 'demo-2.0.0.sigstore'),
    /at most one provenance attachment, demo-1.0.0.sigstore; this one carries "demo-2.0.0.sigstore"/,
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

  it('keeps a provenance bundle about the tarball and names it in dist.attestations', async () => {
    // Prepare
    const body = withProvenance(publishBody('@scope/demo', '1.0.0'));

    // Act
    const request = await parse('@scope/demo', body);

    // Assess
    const sent = JSON.parse(
      body._attachments['@scope/demo-1.0.0.sigstore' as keyof Body['_attachments']]!.data,
    );
    expect(request.provenance).toEqual({ predicateType: 'https://slsa.dev/provenance/v1', bundle: sent });
    expect(request.manifest.dist.attestations).toEqual({
      url: '-/npm/v1/attestations/@scope%2fdemo@1.0.0',
      provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
    });
  });

  it('never takes signatures or attestations from the client', async () => {
    // Prepare
    const body = withChange((b) =>
      Object.assign(b.versions['1.0.0']!.dist, {
        signatures: [{ keyid: 'SHA256:forged', sig: 'AA==' }],
        attestations: { url: 'http://elsewhere/', provenance: { predicateType: 'forged' } },
      }),
    );

    // Act
    const request = await parse('demo', body);

    // Assess
    expect(request.provenance).toBeUndefined();
    expect(request.manifest.dist).not.toHaveProperty('signatures');
    expect(request.manifest.dist).not.toHaveProperty('attestations');
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
