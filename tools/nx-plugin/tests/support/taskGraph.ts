import type { TaskGraph } from '@nx/devkit';

/** `target` tasks for `projects` (name → the names it depends on), in the order given. */
export function taskGraph(target: string, projects: Record<string, string[]>): TaskGraph {
  const id = (project: string) => `${project}:${target}`;
  const names = Object.keys(projects);
  return {
    roots: names.filter((name) => projects[name]?.length === 0).map(id),
    tasks: Object.fromEntries(
      names.map((name) => [id(name), { id: id(name), target: { project: name, target } }]),
    ),
    dependencies: Object.fromEntries(names.map((name) => [id(name), (projects[name] ?? []).map(id)])),
    continuousDependencies: {},
  } as unknown as TaskGraph;
}
