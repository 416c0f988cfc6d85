import type { PromiseExecutor } from '@nx/devkit';
import { typecheckProjects } from './typecheckProjects.ts';

/**
 * `tsc --build tsconfig.json --emitDeclarationOnly` in the project's root, printing the errors.
 * Nx runs `batch.ts` instead when it can hand over several typecheck tasks at once.
 */
const typecheckExecutor: PromiseExecutor<Record<string, never>> = async (_options, context) => {
  const root = context.projectsConfigurations.projects[context.projectName ?? '']?.root;
  if (root === undefined) {
    console.error(`no project ${context.projectName}`);
    return { success: false };
  }
  let success = true;
  for (const { errors } of typecheckProjects(context.root, [root])) {
    for (const error of errors) process.stderr.write(error);
    success &&= errors.length === 0;
  }
  return { success };
};

export default typecheckExecutor;
