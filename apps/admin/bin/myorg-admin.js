#!/usr/bin/env node
// Runs the TypeScript sources directly (Node 24 strips types). Workspace packages resolve to their
// sources through the `@myorg/source` export condition, which this hook adds to every resolution,
// so the CLI needs no build step inside the workspace.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const conditions = context.conditions.includes('@myorg/source')
      ? context.conditions
      : ['@myorg/source', ...context.conditions];
    return nextResolve(specifier, { ...context, conditions });
  },
});

await import('../src/main.ts');
