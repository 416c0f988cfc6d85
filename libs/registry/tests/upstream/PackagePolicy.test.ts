import { describe, expect, it } from 'vitest';
import { normaliseScope, PackagePolicy } from '../../src/upstream/PackagePolicy.ts';

describe('PackagePolicy', () => {
  it('recognises names in private scopes, however the scope was written', () => {
    // Prepare
    const policy = new PackagePolicy({ privateScopes: ['@MyOrg', 'internal/'] });

    // Assess
    expect(policy.isPrivateScope('@myorg/secret')).toBe(true);
    expect(policy.isPrivateScope('@MYORG/Secret')).toBe(true);
    expect(policy.isPrivateScope('@internal/tool')).toBe(true);
    expect(policy.isPrivateScope('@myorgs/other')).toBe(false);
    expect(policy.isPrivateScope('myorg')).toBe(false);
    expect(policy.isPrivateScope('@myorg')).toBe(false);
    expect(new PackagePolicy().isPrivateScope('@myorg/secret')).toBe(false);
  });

  it('allows publishing over the upstream for listed names and patterns only', () => {
    // Prepare
    const policy = new PackagePolicy({ allowPublishOverUpstream: ['lodash', '@types/*', '*-fork', 'a.b'] });

    // Assess
    expect(
      ['lodash', '@types/node', 'react-fork', 'a.b'].map((name) => policy.mayPublishOverUpstream(name)),
    ).toEqual([true, true, true, true]);
    expect(
      ['lodash-es', '@typesx/node', 'fork', 'aXb'].map((name) => policy.mayPublishOverUpstream(name)),
    ).toEqual([false, false, false, false]);
  });

  it('normalises scopes to the @name form', () => {
    expect(['@MyOrg', 'myorg', ' @myorg/ '].map(normaliseScope)).toEqual(['@myorg', '@myorg', '@myorg']);
  });
});
