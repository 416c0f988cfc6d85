import { describe, expect, it } from 'vitest';
import { missingScopes, parseScopes } from '../src/github/scopes.ts';
import { escapePackageName } from '../src/registry/packageName.ts';

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
  });

  it('refuses names that npm would not accept or that could leave their path', () => {
    // Over-long names are legacy names npm still serves: a new one is refused by publish (RegistryClient tests).
    for (const name of ['', '..', '.hidden', '_private', '@scope', '@scope/a/b', 'a b', '@../x']) {
      expect(() => escapePackageName(name), name).toThrow(/invalid package name/);
    }
  });
});
