import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The Nx workspace this server runs from (the nearest folder up from `start` holding nx.json), so
 * the default data directory is the same whether the server runs from src/ or a bundle in dist/.
 * Falls back to `start` itself outside a workspace.
 */
export function workspaceRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'nx.json'))) return folder;
    if (dirname(folder) === folder) return start;
  }
}
