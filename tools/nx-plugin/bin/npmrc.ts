// Writes consumer .npmrc files: `npm run npmrc -- --out apps/my-ui/.npmrc` (see --help).
import { runNpmrcCommand } from '../src/npmrcCommand.ts';

process.exitCode = await runNpmrcCommand(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  log: (line) => console.log(line),
  error: (line) => console.error(line),
});
