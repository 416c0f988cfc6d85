import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CreateNodesContext } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { createNodes } from '../src/index.ts';
import { useTempDirs } from './support/tempDir.ts';

describe('createNodes', () => {
  const tempDir = useTempDirs();

  async function workspace(manifests: Record<string, object>): Promise<{ root: string; files: string[] }> {
    const root = await tempDir();
    const files: string[] = [];
    for (const [folder, manifest] of Object.entries(manifests)) {
      await mkdir(join(root, folder), { recursive: true });
      await writeFile(join(root, folder, 'package.json'), JSON.stringify(manifest));
      files.push(`${folder}/package.json`);
    }
    return { root, files };
  }

  function context(workspaceRoot: string): CreateNodesContext {
    return { workspaceRoot, nxJsonConfiguration: {}, configFiles: [] } as unknown as CreateNodesContext;
  }

  it('matches the package.json of each folder under libs/', () => {
    expect(createNodes[0]).toBe('libs/*/package.json');
  });

  it("infers an uncached publish target, after build and the dependencies' publish, on public libraries only", async () => {
    // Prepare
    const { root, files } = await workspace({
      'libs/public': { name: '@myorg/public', version: '1.0.0' },
      'libs/secret': { name: '@myorg/secret', version: '1.0.0', private: true },
      'libs/unnamed': { version: '1.0.0' },
    });

    // Act
    const results = await createNodes[1](files, undefined, context(root));

    // Assess
    const pluginManifest = JSON.parse(await readFile(join(import.meta.dirname, '../package.json'), 'utf8'));
    const pluginDeps = Object.keys(pluginManifest.dependencies).filter((name) => name.startsWith('@myorg/'));
    expect(results).toEqual([
      [
        'libs/public/package.json',
        {
          projects: {
            'libs/public': {
              targets: {
                publish: {
                  executor: '@myorg/nx-plugin:publish',
                  dependsOn: ['build', '^publish', { projects: pluginDeps, target: 'build' }],
                  cache: false,
                  metadata: { description: expect.stringContaining('Publish') },
                },
              },
            },
          },
        },
      ],
    ]);
    expect(pluginDeps).toContain('@myorg/utilities');
  });

  it('uses the target name from the plugin options', async () => {
    const { root, files } = await workspace({ 'libs/a': { name: '@myorg/a', version: '0.1.0' } });

    const results = await createNodes[1](files, { targetName: 'release-publish' }, context(root));

    expect(Object.keys(results[0]?.[1].projects?.['libs/a']?.targets ?? {})).toEqual(['release-publish']);
  });
});
