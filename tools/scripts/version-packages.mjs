// `npm run version`: applies the pending changesets (new versions, bumped internal ranges, a
// CHANGELOG.md per package), then brings package-lock.json in line, which `changeset version`
// leaves alone. With nothing pending it says so and succeeds: `changeset version` alone exits 1
// then, which would fail a release job for no reason.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const pending = readdirSync('.changeset').filter((file) => file.endsWith('.md') && file !== 'README.md');
if (pending.length === 0) {
  console.log('No pending changesets: nothing to version.');
} else {
  execFileSync('changeset', ['version'], { stdio: 'inherit' });
  execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
