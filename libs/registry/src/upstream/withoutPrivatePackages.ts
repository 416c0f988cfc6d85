import { mapConcurrent } from '@myorg/array';
import { isPlainObject } from '@myorg/utilities';

/** The two audit requests npm sends: the bulk advisories query, and the older quick audit tree. */
export type AuditKind = 'bulk' | 'quick';

type Tree = Record<string, unknown>;

/** Lookups in flight at once: enough to overlap storage reads, few enough to leave room for others. */
const LOOKUP_CONCURRENCY = 16;

/**
 * The audit request without any package `isPrivate` names, so their names (and versions) never
 * leave this registry. Bulk bodies map names to versions; quick-audit bodies hold a dependency
 * tree whose `requires` and `dependencies` maps nest at every level. The body's object members are
 * bounded (`MAX_AUDIT_MEMBERS`), and so are the lookups.
 */
export async function withoutPrivatePackages(
  kind: AuditKind,
  body: Tree,
  isPrivate: (name: string) => Promise<boolean>,
): Promise<Tree> {
  const names = new Set<string>();
  if (kind === 'bulk') for (const name of Object.keys(body)) names.add(name);
  else collectTreeNames(body, names);
  const verdicts = await mapConcurrent(
    names,
    LOOKUP_CONCURRENCY,
    async (name) => [name, await isPrivate(name)] as const,
  );
  const hidden = new Set(verdicts.filter(([, secret]) => secret).map(([name]) => name));
  if (kind === 'bulk') return withoutKeys(body, hidden);
  return pruneTree(body, hidden);
}

// The tree walks recurse: bodies reach them parsed by `parseJsonBody`, so at most MAX_JSON_DEPTH deep.
function collectTreeNames(node: Tree, names: Set<string>): void {
  for (const field of ['requires', 'dependencies']) {
    const map = node[field];
    if (!isPlainObject(map)) continue;
    for (const [name, child] of Object.entries(map)) {
      names.add(name);
      if (field === 'dependencies' && isPlainObject(child)) collectTreeNames(child, names);
    }
  }
}

function pruneTree(node: Tree, hidden: ReadonlySet<string>): Tree {
  const out: Tree = { ...node };
  if (isPlainObject(node.requires)) out.requires = withoutKeys(node.requires, hidden);
  if (isPlainObject(node.dependencies)) {
    const dependencies: Tree = {};
    for (const [name, child] of Object.entries(node.dependencies)) {
      if (!hidden.has(name)) dependencies[name] = isPlainObject(child) ? pruneTree(child, hidden) : child;
    }
    out.dependencies = dependencies;
  }
  return out;
}

function withoutKeys(map: Tree, hidden: ReadonlySet<string>): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(map)) if (!hidden.has(key)) out[key] = value;
  return out;
}
