import { MemoryStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { abbreviate } from '../../src/packument/abbreviate.ts';
import type { Packument } from '../../src/packument/types.ts';
import { BlockList } from '../../src/policy/BlockList.ts';
import { type ReleaseAgeConfig, ReleaseAgeRules } from '../../src/policy/releaseAge.ts';
import { SupplyChainPolicy } from '../../src/policy/SupplyChainPolicy.ts';
import { fallbackTag, type ServedDocument, withholdVersions } from '../../src/policy/withholdVersions.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

/** A packument whose versions were released `ages` ago. */
function packument(ages: Record<string, number>, tags: Record<string, string>): Packument {
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = { created: ago(60 * DAY), modified: ago(HOUR) };
  for (const [version, age] of Object.entries(ages)) {
    versions[version] = { name: 'pkg', version, dist: { tarball: `pkg/-/pkg-${version}.tgz`, shasum: 'x' } };
    time[version] = ago(age);
  }
  return { name: 'pkg', _rev: '1-a', 'dist-tags': tags, versions, time } as unknown as Packument;
}

function policy(releaseAge: Partial<ReleaseAgeConfig>, storage = new MemoryStorage(), now = () => NOW) {
  return new SupplyChainPolicy({
    releaseAge: { minAgeMs: 3 * DAY, overrides: [], allow: [], ...releaseAge },
    blocks: new BlockList(storage, { now }),
    now,
  });
}

describe('fallbackTag', () => {
  it('moves latest to the highest older release by semver, not by date, skipping prereleases', () => {
    // Act
    const fallback = fallbackTag('latest', '2.0.0', ['1.0.0', '1.10.0', '1.9.0', '2.0.0-rc.1', '3.0.0']);

    // Assess: 1.10.0 beats 1.9.0 by semver; 2.0.0-rc.1 is a prerelease, 3.0.0 above the tag's version.
    expect(fallback).toBe('1.10.0');
  });

  it('moves a prerelease tag to the highest older version, prereleases included', () => {
    expect(fallbackTag('next', '3.0.0-beta.3', ['2.0.0', '3.0.0-beta.2', '3.0.0-beta.1'])).toBe(
      '3.0.0-beta.2',
    );
  });

  it('lets latest fall back to a prerelease only when no release is left, and drops a tag with nothing below it', () => {
    expect(fallbackTag('latest', '1.0.0', ['1.0.0-rc.2', '1.0.0-rc.1'])).toBe('1.0.0-rc.2');
    expect(fallbackTag('latest', '1.0.0', ['2.0.0'])).toBeUndefined();
  });
});

describe('withholdVersions', () => {
  const refuse = (versions: string[]) => (version: string) =>
    versions.includes(version) ? { kind: 'blocked' as const, reason: 'bad' } : undefined;

  it('leaves refused versions out, lists them in policyRestrictions for npm, and keeps time for the rest', () => {
    // Prepare
    const stored = packument({ '1.0.0': 30 * DAY, '1.1.0': HOUR }, { latest: '1.1.0' });
    const served = abbreviate(stored) as unknown as ServedDocument;

    // Act
    const withheld = withholdVersions(served, stored.time, refuse(['1.1.0']), () => 'why');

    // Assess
    expect(Object.keys(withheld.versions)).toEqual(['1.0.0']);
    expect(withheld['dist-tags']).toEqual({ latest: '1.0.0' });
    expect(withheld.policyRestrictions).toEqual({
      versions: { '1.1.0': { name: 'pkg', version: '1.1.0' } },
      message: 'why',
    });
    // The abbreviated form gets `time` (pnpm's minimumReleaseAge reads it), without refused versions.
    expect(withheld.time).toEqual({
      created: stored.time.created,
      modified: stored.time.modified,
      '1.0.0': stored.time['1.0.0'],
    });
  });

  it('adds time to an abbreviated document even when nothing is refused, and returns a full one as it is', () => {
    // Prepare
    const stored = packument({ '1.0.0': 30 * DAY }, { latest: '1.0.0' });
    const abbreviated = abbreviate(stored) as unknown as ServedDocument;

    // Act
    const fromAbbreviated = withholdVersions(abbreviated, stored.time, refuse([]), () => 'why');
    const fromFull = withholdVersions(
      stored as unknown as ServedDocument,
      stored.time,
      refuse([]),
      () => 'why',
    );

    // Assess
    expect(fromAbbreviated.time).toEqual(stored.time);
    expect(fromAbbreviated.policyRestrictions).toBeUndefined();
    expect(fromFull).toBe(stored);
  });
});

describe('the rules of a package', () => {
  it('withholds versions younger than the minimum age of proxied packages, saying when they become available', async () => {
    // Prepare
    const stored = packument({ '1.0.0': 30 * DAY, '1.1.0': 2 * DAY, '2.0.0': HOUR }, { latest: '2.0.0' });
    const rules = await policy({}).rulesFor('pkg', 'upstream');

    // Act
    const served = rules?.withhold(stored as unknown as ServedDocument, stored.time);

    // Assess
    expect(Object.keys(served?.versions ?? {})).toEqual(['1.0.0']);
    expect(served?.['dist-tags']).toEqual({ latest: '1.0.0' });
    expect(rules?.refusal('2.0.0', stored.time)).toEqual({
      kind: 'young',
      minAgeMs: 3 * DAY,
      availableAt: NOW - HOUR + 3 * DAY,
    });
    expect(() => rules?.assertServed('2.0.0', stored.time)).toThrow(
      /minimum release age of 3d .* becomes available at 2026-12-10T11:00:00.000Z/,
    );
  });

  it('holds back local packages only when an override names them, and never what the allow-list names', async () => {
    // Prepare
    const supplyChain = policy({
      overrides: [{ pattern: '@myorg/held', minAgeMs: DAY }],
      allow: [
        { pattern: 'urgent', range: '*' },
        { pattern: 'pinned', range: '2.0.0' },
      ],
    });
    const stored = packument({ '1.0.0': 30 * DAY, '2.0.0': HOUR }, { latest: '2.0.0' });

    // Act
    const local = await supplyChain.rulesFor('@myorg/lib', 'local');
    const overridden = await supplyChain.rulesFor('@myorg/held', 'local');
    const urgent = await supplyChain.rulesFor('urgent', 'upstream');
    const pinned = await supplyChain.rulesFor('pinned', 'upstream');

    // Assess
    expect(local).toBeUndefined();
    expect(overridden?.refusal('2.0.0', stored.time)).toMatchObject({ kind: 'young', minAgeMs: DAY });
    expect(urgent).toBeUndefined();
    expect(pinned?.refusal('2.0.0', stored.time)).toBeUndefined();
  });

  it('changes its cache key when a version comes of age, and not before', async () => {
    // Prepare
    let now = NOW;
    const supplyChain = policy({}, new MemoryStorage(), () => now);
    const stored = packument({ '1.0.0': 30 * DAY, '2.0.0': 3 * DAY - HOUR }, { latest: '2.0.0' });

    // Act
    const before = (await supplyChain.rulesFor('pkg', 'upstream'))?.key(stored.time);
    now += HOUR / 2;
    const stillBefore = (await supplyChain.rulesFor('pkg', 'upstream'))?.key(stored.time);
    now += HOUR;
    const after = await supplyChain.rulesFor('pkg', 'upstream');

    // Assess
    expect(stillBefore).toBe(before);
    expect(after?.key(stored.time)).not.toBe(before);
    expect(after?.refusal('2.0.0', stored.time)).toBeUndefined();
  });

  it('applies a block to local and proxied packages, with its reason, and forgets it once removed', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const blocks = new BlockList(storage, { checkAfterMs: 0 });
    const supplyChain = policy({ minAgeMs: 0 }, storage);
    const stored = packument(
      { '1.0.0': 30 * DAY, '1.0.1': 30 * DAY, '1.1.0': 30 * DAY },
      { latest: '1.1.0' },
    );
    await blocks.add({ name: 'pkg', range: '>=1.0.1 <1.1.0 || 1.1.0', reason: 'CVE-2026-0001' });

    // Act
    const blocked = await supplyChain.rulesFor('pkg', 'local');
    const served = blocked?.withhold(stored as unknown as ServedDocument, stored.time);
    await blocks.remove('pkg', undefined);
    const unblocked = await policy({ minAgeMs: 0 }, storage).rulesFor('pkg', 'local');

    // Assess
    expect(Object.keys(served?.versions ?? {})).toEqual(['1.0.0']);
    expect(served?.['dist-tags']).toEqual({ latest: '1.0.0' });
    expect(() => blocked?.assertServed('1.1.0', stored.time)).toThrow(/blocked .*: CVE-2026-0001/);
    expect(unblocked).toBeUndefined();
  });

  it('judges a version without a release time too young, since it cannot be shown old enough', async () => {
    const rules = await policy({}).rulesFor('pkg', 'upstream');
    expect(rules?.refusal('1.0.0', {})).toEqual({ kind: 'young', minAgeMs: 3 * DAY, availableAt: undefined });
  });
});

describe('ReleaseAgeRules', () => {
  it('takes the first matching override, and stays inactive with no age anywhere', () => {
    const rules = new ReleaseAgeRules({
      minAgeMs: 0,
      overrides: [
        { pattern: '@types/*', minAgeMs: HOUR },
        { pattern: '@types/node', minAgeMs: DAY },
      ],
      allow: [],
    });
    expect(rules.forPackage('@types/node', 'upstream')?.minAgeMs).toBe(HOUR);
    expect(rules.forPackage('lodash', 'upstream')).toBeUndefined();
    expect(new ReleaseAgeRules({ minAgeMs: 0, overrides: [], allow: [] }).active).toBe(false);
  });
});

describe('the policyRestrictions message', () => {
  it('names the newest ten withheld versions and counts the rest', async () => {
    // Prepare
    const ages: Record<string, number> = {};
    for (let minor = 0; minor < 12; minor++) ages[`1.${minor}.0`] = HOUR;
    const stored = packument(ages, { latest: '1.11.0' });
    const rules = await policy({}).rulesFor('pkg', 'upstream');

    // Act
    const served = rules?.withhold(stored as unknown as ServedDocument, stored.time);

    // Assess
    const restrictions = served?.policyRestrictions as { message: string } | undefined;
    const message = restrictions?.message.split('\n');
    expect(message).toHaveLength(11);
    expect(message?.[0]).toMatch(/^pkg@1\.11\.0 is held back/);
    expect(message?.[10]).toBe('… and 2 more withheld versions');
  });
});
