import { dirname, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * `tsc --build <root>/tsconfig.json --emitDeclarationOnly` for every project root at once, in one
 * solution builder: it parses what the projects share (the standard library, @types/node, vitest's
 * types) once, where a process per project parses it again each time, about three times the CPU.
 * Yields each root with its errors as soon as the last TypeScript project under it is built, so
 * the tasks waiting for it can start; an error is told to the root whose folder holds the
 * tsconfig that reported it.
 */
export function* typecheckProjects(
  workspaceRoot: string,
  roots: string[],
): Generator<{ root: string; errors: string[] }> {
  const ownerOf = (configPath: string) =>
    roots
      .filter((root) => {
        const dir = relative(resolve(workspaceRoot, root), dirname(configPath));
        return dir === '' || !(dir.startsWith('..') || dir.startsWith(sep));
      })
      .sort((a, b) => b.length - a.length)[0];
  const errors = new Map(roots.map((root) => [root, [] as string[]]));
  // File names relative to the workspace root, as `nx` prints every project's.
  const formatHost: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => workspaceRoot,
    getNewLine: () => '\n',
  };
  let building: string | undefined;
  const report = (diagnostic: ts.Diagnostic) => {
    if (diagnostic.category !== ts.DiagnosticCategory.Error) return;
    const owner = building === undefined ? undefined : ownerOf(building);
    // Nothing here owns it (a tsconfig that does not parse, say): it fails every root.
    for (const root of owner === undefined ? roots : [owner]) {
      errors.get(root)?.push(ts.formatDiagnostics([diagnostic], formatHost));
    }
  };
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, report, () => {});
  const builder = ts.createSolutionBuilder(
    host,
    roots.map((root) => resolve(workspaceRoot, root, 'tsconfig.json')),
    { emitDeclarationOnly: true },
  );
  // The build order is internal API (tsc prints it for --verbose): without it, every root waits for the end.
  const { getBuildOrder } = builder as {
    getBuildOrder?: () => readonly string[] | { buildOrder: readonly string[] };
  };
  const order = getBuildOrder?.call(builder) ?? [];
  const configs = 'buildOrder' in order ? order.buildOrder : order;
  // A root is done once the builder is past the last of its tsconfigs in the build order.
  const lastConfig = new Map<string, number>();
  configs.forEach((config, index) => {
    const owner = ownerOf(config);
    if (owner !== undefined) lastConfig.set(owner, index);
  });
  const pending = new Set(roots);
  function* doneBefore(index: number) {
    for (const root of pending) {
      if ((lastConfig.get(root) ?? -1) >= index) continue;
      pending.delete(root);
      yield { root, errors: errors.get(root) ?? [] };
    }
  }
  for (
    let project = builder.getNextInvalidatedProject();
    project;
    project = builder.getNextInvalidatedProject()
  ) {
    yield* doneBefore(configs.indexOf(project.project));
    building = project.project;
    project.done();
  }
  yield* doneBefore(Number.POSITIVE_INFINITY);
}
