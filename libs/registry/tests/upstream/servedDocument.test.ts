import { describe, expect, it } from 'vitest';
import { servedDocument, type UpstreamDocument } from '../../src/upstream/upstreamDocument.ts';

const BASE = 'http://registry.test';
const version = {
  name: 'left-pad',
  version: '1.0.0',
  description: 'pads',
  readme: 'long text',
  dependencies: { tiny: '^1.0.0' },
  dist: { tarball: 'http://upstream.test/left-pad/-/left-pad-1.0.0.tgz', integrity: 'sha512-x', shasum: 'y' },
};
const full: UpstreamDocument = {
  _id: 'left-pad',
  name: 'left-pad',
  description: 'pads',
  'dist-tags': { latest: '1.0.0' },
  versions: { '1.0.0': version, '2.0.0': { name: 'left-pad', version: '2.0.0' } },
  time: { modified: '2026-01-01T00:00:00.000Z', '1.0.0': '2026-01-01T00:00:00.000Z' },
};

describe('servedDocument', () => {
  it('abbreviates a full document for an abbreviated request, with tarball URLs of this registry', () => {
    expect(servedDocument(full, 'full', 'abbreviated', BASE)).toEqual({
      name: 'left-pad',
      'dist-tags': { latest: '1.0.0' },
      modified: '2026-01-01T00:00:00.000Z',
      versions: {
        '1.0.0': {
          name: 'left-pad',
          version: '1.0.0',
          dependencies: { tiny: '^1.0.0' },
          dist: { ...version.dist, tarball: `${BASE}/left-pad/-/left-pad-1.0.0.tgz` },
        },
      },
    });
  });

  it('keeps signatures and points attestations at this registry, in both forms', () => {
    // Prepare
    const signatures = [{ keyid: 'SHA256:k', sig: 'MEUCIQ==' }];
    const attestations = {
      url: 'http://upstream.test/-/npm/v1/attestations/@scope%2fpkg@1.0.0',
      provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
    };
    const scoped: UpstreamDocument = {
      name: '@scope/pkg',
      'dist-tags': { latest: '1.0.0' },
      versions: {
        '1.0.0': { ...version, name: '@scope/pkg', dist: { ...version.dist, signatures, attestations } },
      },
    };

    for (const form of ['full', 'abbreviated'] as const) {
      // Act
      const served = servedDocument(scoped, 'full', form, BASE) as UpstreamDocument;

      // Assess
      expect((served.versions['1.0.0'] as { dist: unknown }).dist).toEqual({
        ...version.dist,
        tarball: `${BASE}/@scope/pkg/-/pkg-1.0.0.tgz`,
        signatures,
        attestations: { ...attestations, url: `${BASE}/-/npm/v1/attestations/@scope%2fpkg@1.0.0` },
      });
    }
  });

  it('abbreviates a full document without `time`, leaving `modified` out', () => {
    const { time: _time, ...withoutTime } = full;
    const served = servedDocument(withoutTime as UpstreamDocument, 'full', 'abbreviated', BASE);
    expect(JSON.parse(JSON.stringify(served))).not.toHaveProperty('modified');
  });

  it('serves the full form from a full document, and an abbreviated document as it is in either form', () => {
    const abbreviated = servedDocument(full, 'full', 'abbreviated', BASE) as UpstreamDocument;
    expect(servedDocument(full, 'full', 'full', BASE)).toMatchObject({
      description: 'pads',
      time: full.time,
    });
    expect(servedDocument(abbreviated, 'abbreviated', 'full', BASE)).toEqual(abbreviated);
    expect(servedDocument(abbreviated, 'abbreviated', 'abbreviated', BASE)).toEqual(abbreviated);
  });
});
