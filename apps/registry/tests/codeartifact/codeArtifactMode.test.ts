import { describe, expect, it } from 'vitest';
import { isCodeArtifactMode } from '../../src/codeArtifactMode.ts';

describe('the CodeArtifact stand-in mode of the registry server', () => {
  it('is chosen by --codeartifact or REGISTRY_MODE=codeartifact', () => {
    expect(isCodeArtifactMode(['node', 'main.ts', '--codeartifact'], {})).toBe(true);
    expect(isCodeArtifactMode(['node', 'main.ts', '--codeartifact=true'], {})).toBe(true);
    expect(isCodeArtifactMode(['node', 'main.ts'], { REGISTRY_MODE: 'codeartifact' })).toBe(true);
    expect(isCodeArtifactMode(['node', 'main.ts'], {})).toBe(false);
  });
});
