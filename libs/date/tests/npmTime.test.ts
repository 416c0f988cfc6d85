import { describe, expect, it } from 'vitest';
import { createTime, type NpmTime, recordVersionTime, touchModified, versionTimes } from '../src/index.ts';

const t0 = new Date(Date.UTC(2025, 2, 1, 9, 0, 0));
const t1 = new Date(Date.UTC(2025, 2, 2, 9, 0, 0));
const t2 = new Date(Date.UTC(2025, 2, 3, 9, 0, 0));

describe('createTime', () => {
  it('sets created and modified to the same instant', () => {
    expect(createTime(t0)).toEqual({ created: t0.toISOString(), modified: t0.toISOString() });
  });

  it('defaults to now', () => {
    // Prepare
    const before = Date.now();

    // Act
    const time = createTime();

    // Assess
    expect(Date.parse(time.created)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(time.created)).toBeLessThanOrEqual(Date.now());
  });
});

describe('recordVersionTime', () => {
  it('starts a new time field for the first version of a package', () => {
    expect(recordVersionTime(undefined, '1.0.0', t0)).toEqual({
      created: t0.toISOString(),
      modified: t0.toISOString(),
      '1.0.0': t0.toISOString(),
    });
  });

  it('adds a version and moves modified while keeping created and the input intact', () => {
    // Prepare
    const stored = recordVersionTime(undefined, '1.0.0', t0);
    const snapshot = structuredClone(stored);

    // Act
    const next = recordVersionTime(stored, '1.1.0', t1);

    // Assess
    expect(next).toEqual({
      created: t0.toISOString(),
      modified: t1.toISOString(),
      '1.0.0': t0.toISOString(),
      '1.1.0': t1.toISOString(),
    });
    expect(stored).toEqual(snapshot);
  });

  it.each(['created', 'modified', '__proto__'])('refuses %j as a version', (version) => {
    expect(() => recordVersionTime(createTime(t0), version, t1)).toThrow(RangeError);
  });
});

describe('touchModified', () => {
  it('moves only modified', () => {
    // Prepare
    const stored = recordVersionTime(undefined, '1.0.0', t0);

    // Act
    const next = touchModified(stored, t1);

    // Assess
    expect(next).toEqual({ ...stored, modified: t1.toISOString() });
    expect(stored.modified).toBe(t0.toISOString());
  });

  it('creates the field when there is none yet', () => {
    expect(touchModified(undefined, t1)).toEqual(createTime(t1));
  });
});

describe('versionTimes', () => {
  it('lists versions oldest first, ignoring unreadable entries', () => {
    // Prepare: a mirrored packument whose versions are not stored in publish order.
    const time: NpmTime = {
      created: t0.toISOString(),
      modified: t2.toISOString(),
      '2.0.0': t2.toISOString(),
      '1.0.0': t0.toISOString(),
      '1.5.0': t1.toISOString(),
      '0.0.1-broken': 'not a date',
    };

    // Act
    const listed = versionTimes(time);

    // Assess
    expect(listed.map((entry) => entry.version)).toEqual(['1.0.0', '1.5.0', '2.0.0']);
    expect(listed.at(-1)).toEqual({ version: '2.0.0', date: t2 });
  });

  it('lists nothing for a packument without versions', () => {
    expect(versionTimes(createTime(t0))).toEqual([]);
  });
});
