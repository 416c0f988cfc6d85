import { describe, expect, it } from 'vitest';
import { escapePackageName, missingScopes, parseScopes, unscopedName } from '../src/index.ts';

describe('GitHub scopes', () => {
  it('splits an X-OAuth-Scopes header', () => {
    expect(parseScopes('repo, read:org,  workflow')).toEqual(['repo', 'read:org', 'workflow']);
    expect(parseScopes('')).toEqual([]);
    expect(parseScopes(undefined)).toEqual([]);
  });

  it('counts scopes that parent scopes include, through several levels', () => {
    expect(missingScopes(['admin:org'], ['read:org', 'write:org'])).toEqual([]);
    expect(missingScopes(['repo', 'repo'], ['public_repo', 'repo:status'])).toEqual([]);
    expect(missingScopes(['write:repo_hook'], ['admin:repo_hook', 'read:repo_hook'])).toEqual([
      'admin:repo_hook',
    ]);
    expect(missingScopes([], ['repo'])).toEqual(['repo']);
  });
});

describe('package names', () => {
  it('escapes the scope separator as npm does', () => {
    expect(escapePackageName('@myorg/widget')).toBe('@myorg%2fwidget');
    expect(escapePackageName('JSONStream')).toBe('JSONStream');
    expect(unscopedName('@myorg/widget')).toBe('widget');
    expect(unscopedName('widget')).toBe('widget');
  });

  it('refuses names that npm would not accept or that could leave their path', () => {
    for (const name of ['', '..', '.hidden', '_private', '@scope', '@scope/a/b', 'a b', 'x'.repeat(215)]) {
      expect(() => escapePackageName(name), name).toThrow(/invalid package name/);
    }
  });
});
