#!/usr/bin/env node
// Registry benchmark: our registry vs Verdaccio 6 (vs a static file server for npm ci), same data, same run.
// Usage: node bench/run.mjs [--quick] [--keep] [--skip-ours]   (or `npm run bench` from the workspace root)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureBenchDependencies, ensureHyperfine, node24 } from './lib/env.mjs';

const args = new Set(process.argv.slice(2));
const known = new Set(['--quick', '--keep', '--skip-ours', '--help']);
const unknown = [...args].filter((a) => !known.has(a));
if (args.has('--help') || unknown.length) {
  console.log('usage: node bench/run.mjs [--quick] [--keep] [--skip-ours]');
  process.exit(unknown.length ? 2 : 0);
}

// The workspace pins Node 24 (which also runs our registry's TypeScript sources); re-run on it if needed.
if (!existsSync(node24)) {
  console.error(`[bench] ${node24} is missing: run \`npm install\` at the workspace root first`);
  process.exit(1);
} else if (Number(process.versions.node.split('.')[0]) < 24) {
  const child = spawn(node24, process.argv.slice(1), { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  await main();
}

async function main() {
  ensureBenchDependencies();
  ensureHyperfine();
  const { cleanUp, runBenchmark } = await import('./lib/benchmark.mjs');

  const mode = args.has('--quick') ? 'quick' : 'full';
  const abort = async (why, code) => {
    console.error(`\n[bench] ${why}: stopping every started process`);
    await cleanUp().catch((error) => console.error(`[bench] clean-up: ${error.message}`));
    process.exit(code);
  };
  process.on('SIGINT', () => abort('interrupted', 130));
  process.on('SIGTERM', () => abort('terminated', 143));
  // a hard ceiling, so a hung server can never keep the run (and its children) alive
  setTimeout(() => abort('time limit reached', 1), (mode === 'quick' ? 10 : 20) * 60_000).unref();

  try {
    await runBenchmark({ mode, keep: args.has('--keep'), skipOurs: args.has('--skip-ours') });
  } catch (error) {
    console.error(`[bench] failed: ${error.stack ?? error}`);
    await cleanUp();
    process.exit(1);
  }
}
