import { ValidationError } from '@myorg/validation';
import { describe, expect, it } from 'vitest';
import { parseEntryInput, parseStoredEntry } from '../src/catalogueEntry.ts';

describe('catalogue entries', () => {
  it('fills in defaults and takes the name from the URL', () => {
    expect(parseEntryInput('@myorg/logger', { owner: 'platform' })).toEqual({
      name: '@myorg/logger',
      owner: 'platform',
      description: '',
      tags: [],
    });
  });

  it('lists every problem with an entry at once', () => {
    // Act
    let thrown: unknown;
    try {
      parseEntryInput('@myorg/logger', {
        owner: '',
        tags: ['Logging', 'ok', 'ok'],
        repository: 'ftp://example.invalid/repo',
        colour: 'blue',
      });
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    const issues = (thrown as ValidationError).issues;
    expect(issues).toHaveLength(5);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^owner: /),
        'tags[0]: lower-case letters, digits and "-"',
        'tags: tags must not repeat',
        expect.stringMatching(/^repository: /),
        expect.stringMatching(/^\(root\): .*colour/),
      ]),
    );
  });

  it('refuses a package name npm would refuse', () => {
    expect(() => parseEntryInput('Not A Package', { owner: 'platform' })).toThrow(/Not A Package/);
  });

  it('checks stored documents the same way, name included', () => {
    const stored = { name: '@myorg/date', owner: 'platform', description: 'dates', tags: ['time'] };

    expect(parseStoredEntry(stored)).toEqual(stored);
    expect(() => parseStoredEntry({ ...stored, name: '../etc' })).toThrow(ValidationError);
    expect(() => parseStoredEntry(null)).toThrow(ValidationError);
  });
});
