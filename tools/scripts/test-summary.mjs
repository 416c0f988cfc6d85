// Adds up the vitest JSON reports every project wrote (or Nx restored from cache) into one closing line,
// so a CI log says how many tests ran across the whole workspace.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const roots = ['libs', 'apps', 'tools'];
let passed = 0;
let failed = 0;
let skipped = 0;
let projects = 0;

async function* reports(dir, depth = 0) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.name === 'test-results') yield join(path, 'vitest.json');
    else if (depth < 3) yield* reports(path, depth + 1);
  }
}

for (const root of roots) {
  for await (const file of reports(root)) {
    let report;
    try {
      report = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      continue;
    }
    projects++;
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
}

console.log(`\nTest reports from ${projects} projects.`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || projects === 0 ? 1 : 0;
