import { describe, expect, it } from 'vitest';
import { packageDetails } from '../src/packageDetails.ts';
import type { Packument } from '../src/registryApi.ts';
import { registryFixture } from './support/registryFixture.ts';

describe('packageDetails', () => {
  it('orders versions newest first and keeps pre-releases apart', () => {
    // Prepare
    const { packuments } = registryFixture(Date.parse('2030-01-31T00:00:00Z'));

    // Act
    const details = packageDetails(packuments['@demo/widgets'] as unknown as Packument);

    // Assess
    expect(details.latest).toBe('1.1.0');
    expect(details.published?.toISOString()).toBe('2030-01-27T23:00:00.000Z');
    expect(details.releases.map((row) => [row.version, row.tags, row.deprecated])).toEqual([
      ['1.1.0', ['latest'], undefined],
      ['1.0.0', [], 'use 1.1.0'],
    ]);
    expect(details.prereleases.map((row) => [row.version, row.tags])).toEqual([['2.0.0-beta.1', ['next']]]);
    expect(details.distTags.map(({ tag, version }) => `${tag}=${version}`)).toEqual([
      'latest=1.1.0',
      'next=2.0.0-beta.1',
    ]);
  });

  it('copes with a packument that has no times, readme or description', () => {
    // Prepare
    const packument: Packument = {
      name: 'bare',
      'dist-tags': { beta: '2.0.0-b', latest: '1.0.0', alpha: '2.0.0-a' },
      versions: {
        '1.0.0': { version: '1.0.0', description: 'from the manifest' },
        '0.9.0': { version: '0.9.0' },
      },
    };

    // Act
    const details = packageDetails(packument);

    // Assess
    expect(details.description).toBe('from the manifest');
    expect(details.readme).toBe('');
    expect(details.published).toBeUndefined();
    expect(details.releases.map((row) => row.version)).toEqual(['1.0.0', '0.9.0']);
    expect(details.distTags.map(({ tag }) => tag)).toEqual(['latest', 'alpha', 'beta']);
  });
});
