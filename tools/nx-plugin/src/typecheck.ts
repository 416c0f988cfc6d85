import type { CreateNodesV2, TargetConfiguration } from '@nx/devkit';
import { createNodesV2 as typescriptNodes } from '@nx/js/typescript';

const TARGET = 'typecheck';
const INFERRED_COMMAND = 'tsc --build tsconfig.json --emitDeclarationOnly';

/**
 * The `typecheck` targets that `@nx/js/typescript` infers, run by `@myorg/nx-plugin:typecheck`
 * instead of one `tsc --build` process each: that executor type-checks a run's projects in one
 * process (see executors/typecheck). Inputs, outputs, dependencies and the sync generator stay
 * those of `@nx/js/typescript`; registered after it in nx.json, this target replaces its own.
 */
export const createNodesV2: CreateNodesV2 = [
  typescriptNodes[0],
  async (files, _options, context) => {
    const results = await typescriptNodes[1](files, { typecheck: { targetName: TARGET } }, context);
    return results.flatMap(([file, result]) =>
      Object.entries(result.projects ?? {}).flatMap(([root, project]) => {
        const { command, options, ...inferred }: TargetConfiguration = project.targets?.[TARGET] ?? {};
        if (command !== INFERRED_COMMAND || options?.cwd !== root) return [];
        const typecheck = { ...inferred, executor: '@myorg/nx-plugin:typecheck', options: {} };
        return [[file, { projects: { [root]: { targets: { [TARGET]: typecheck } } } }] as const];
      }),
    );
  },
];
