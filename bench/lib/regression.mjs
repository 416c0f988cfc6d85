// The regression check before a commit: this run's issue-#18 ratios (ours ÷ static, ours ÷ direct,
// peak RSS) against the last recorded ones of the same mode in results/baseline-<mode>.json.
// Ratios, not req/s, so a slower or busier machine compares with a recorded baseline all the same.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchDir, formatForGit } from './env.mjs';
import { realRatios } from './realBench.mjs';

/** A drop of more than this fraction below the baseline fails the check. */
export const tolerance = 0.2;

export const baselineFile = (mode) => path.join(benchDir, 'results', `baseline-${mode}.json`);

export async function recordBaseline(results) {
  const file = baselineFile(results.mode);
  const ratios = realRatios(results);
  if (ratios.length === 0)
    throw new Error('this run has no ratios to record (did the real-package section fail?)');
  const baseline = {
    recorded: results.machine.date,
    machine: { cores: results.machine.cores, cpuModel: results.machine.cpuModel },
    loadAverage: results.loadAverage,
    ratios: Object.fromEntries(ratios.map(({ id, ratio, better }) => [id, { ratio, better }])),
  };
  await writeFile(file, `${JSON.stringify(baseline, null, 2)}\n`);
  formatForGit(file);
  return file;
}

/**
 * Compares with the recorded baseline; returns the lines to print and the measures that regressed:
 * a higher-is-better ratio below (1 − tolerance) × baseline, or a lower-is-better one above
 * baseline ÷ (1 − tolerance) (the same 20 % less speed, seen from the other side).
 */
export async function checkBaseline(results) {
  const file = baselineFile(results.mode);
  if (!existsSync(file)) return { missing: file, lines: [], regressions: [] };
  const baseline = JSON.parse(await readFile(file, 'utf8'));
  const lines = [];
  const regressions = [];
  const current = new Map(realRatios(results).map((r) => [r.id, r]));
  for (const [id, recorded] of Object.entries(baseline.ratios)) {
    const now = current.get(id);
    if (!now) {
      regressions.push(id);
      lines.push(`REGRESSION ${id}: no figure in this run (recorded ${recorded.ratio})`);
      continue;
    }
    const limit =
      recorded.better === 'higher' ? recorded.ratio * (1 - tolerance) : recorded.ratio / (1 - tolerance);
    const worse = recorded.better === 'higher' ? now.ratio < limit : now.ratio > limit;
    if (worse) regressions.push(id);
    lines.push(
      `${worse ? 'REGRESSION' : 'ok        '} ${id}: ${now.ratio} (recorded ${recorded.ratio}, limit ${limit.toFixed(2)}, ${recorded.better} is better)`,
    );
  }
  return { file, recorded: baseline.recorded, lines, regressions };
}
