#!/usr/bin/env node
// Registry benchmark: our registry vs Verdaccio 6 vs static file servers, same data, same run.
// Usage: node bench/run.mjs [--quick] [--keep] [--skip-ours] [--record] [--check] | --memory <10m|90s>
// (or `npm run bench` from the workspace root; `npx nx run registry:bench --quick` is the pre-commit check)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureBenchDependencies, ensureHyperfine, node24 } from './lib/env.mjs';

const usage =
  'usage: node bench/run.mjs [--quick] [--keep] [--skip-ours] [--record] [--check]\n' +
  '       node bench/run.mjs --memory <duration, e.g. 10m or 90s> [--keep]';
const argv = process.argv.slice(2);
const memoryAt = argv.indexOf('--memory');
const memoryArg = memoryAt === -1 ? undefined : argv.splice(memoryAt, 2)[1];
const args = new Set(argv);
const known = new Set(['--quick', '--keep', '--skip-ours', '--record', '--check', '--help']);
const unknown = [...args].filter((a) => !known.has(a));
const memorySeconds = memoryArg && durationSeconds(memoryArg);
if (args.has('--help') || unknown.length || (memoryAt !== -1 && !memorySeconds)) {
  console.log(usage);
  process.exit(args.has('--help') ? 0 : 2);
}

/** "10m", "90s" or "90" (seconds) in seconds; undefined when unreadable. */
function durationSeconds(text) {
  const match = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(text ?? '');
  return match ? Number(match[1]) * (match[2] === 'm' ? 60 : 1) : undefined;
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
  const { cleanUp, runBenchmark, runRealOnly } = await import('./lib/benchmark.mjs');

  const mode = args.has('--quick') ? 'quick' : 'full';
  const abort = async (why, code) => {
    console.error(`\n[bench] ${why}: stopping every started process`);
    await cleanUp().catch((error) => console.error(`[bench] clean-up: ${error.message}`));
    process.exit(code);
  };
  process.on('SIGINT', () => abort('interrupted', 130));
  process.on('SIGTERM', () => abort('terminated', 143));
  // a hard ceiling, so a hung server can never keep the run (and its children) alive
  const limitMinutes = memorySeconds ? memorySeconds / 60 + 5 : mode === 'quick' ? 12 : 45;
  setTimeout(() => abort('time limit reached', 1), limitMinutes * 60_000).unref();

  try {
    if (memorySeconds) {
      const { runMemory } = await import('./lib/memoryRun.mjs');
      await runMemory({ seconds: memorySeconds, keep: args.has('--keep') });
      return;
    }
    if (args.has('--check') || args.has('--record')) {
      await regression(await runRealOnly({ mode, keep: args.has('--keep') }));
      return;
    }
    await runBenchmark({ mode, keep: args.has('--keep'), skipOurs: args.has('--skip-ours') });
  } catch (error) {
    console.error(`[bench] failed: ${error.stack ?? error}`);
    await cleanUp();
    process.exit(1);
  }
}

/**
 * --check: fail loudly on a measure more than 20 % below the recorded one; --record: record this
 * run's ratios as the new baseline (both: check, then record only if the check passed).
 */
async function regression(results) {
  const { checkBaseline, recordBaseline } = await import('./lib/regression.mjs');
  if (args.has('--check')) {
    const check = await checkBaseline(results);
    if (check.missing && !args.has('--record')) {
      console.error(`[bench] no recorded baseline at ${check.missing}: record one with --record`);
      process.exit(1);
    }
    if (!check.missing) console.log(`\n[bench] ratios against the baseline recorded ${check.recorded}:`);
    for (const line of check.lines) console.log(`  ${line}`);
    if (check.regressions.length) {
      console.error(
        `\n[bench] ✖ REGRESSION: ${check.regressions.length} measure(s) dropped more than 20 % below the recorded baseline: ${check.regressions.join(', ')}`,
      );
      process.exit(1);
    }
    if (!check.missing)
      console.log('[bench] ✔ no measure dropped more than 20 % below the recorded baseline');
  }
  if (args.has('--record')) console.log(`[bench] recorded ${await recordBaseline(results)}`);
}
