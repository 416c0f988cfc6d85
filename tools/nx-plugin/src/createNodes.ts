import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CreateNodes, TargetConfiguration } from '@nx/devkit';

export interface PublishPluginOptions {
  /** Name of the inferred target. Defaults to `publish`. */
  targetName?: string;
}

interface Manifest {
  name?: string;
  version?: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

const readManifest = (path: string): Manifest => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

/**
 * The executor loads this plugin's workspace dependencies from their built `dist` (Nx gives
 * executors no source conditions), so every publish task also needs those builds.
 */
const pluginDependencies = Object.keys(
  readManifest(join(import.meta.dirname, '..', 'package.json')).dependencies ?? {},
).filter((name) => name.startsWith('@myorg/'));

function publishTarget(): TargetConfiguration {
  return {
    executor: '@myorg/nx-plugin:publish',
    // Dependencies first, so a consumer never sees a version whose dependencies are missing.
    dependsOn: ['build', '^publish', { projects: pluginDependencies, target: 'build' }],
    // Publishing changes the registry, not files: never replay it from cache.
    cache: false,
    metadata: {
      description:
        'Publish to the registry (PUBLISH_REGISTRY_URL or CodeArtifact) unless this version is there',
    },
  };
}

/** Adds a `publish` target to every package under `libs/` that is not private. */
export const createNodes: CreateNodes<PublishPluginOptions> = [
  'libs/*/package.json',
  (files, options, context) =>
    files.flatMap((file) => {
      const manifest = readManifest(join(context.workspaceRoot, file));
      if (manifest.private || !manifest.name || !manifest.version) return [];
      const targets = { [options?.targetName ?? 'publish']: publishTarget() };
      return [[file, { projects: { [dirname(file)]: { targets } } }] as const];
    }),
];
