import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../src/workspaceRoot.ts';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'registry-root-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('workspaceRoot', () => {
  it('finds the nearest folder with nx.json', async () => {
    // Prepare
    const nested = join(directory, 'apps', 'registry', 'dist');
    await mkdir(nested, { recursive: true });
    await writeFile(join(directory, 'nx.json'), '{}');

    // Act / Assess
    expect(workspaceRoot(nested)).toBe(directory);
  });

  it('falls back to the start folder outside a workspace', () => {
    expect(workspaceRoot(directory)).toBe(directory);
  });
});
