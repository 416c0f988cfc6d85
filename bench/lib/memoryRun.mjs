// `--memory <duration>`: our registry as a proxy of the real fixture's in-memory static server under a
// mixed load for the whole duration — packument and tarball reads, `npm ci` of the fixture in a loop,
// a publish every 2 s — with its RSS read from /proc/<pid>/status every second. Writes memory.svg next
// to RESULTS.md (drawn by svgPlot below: no plotting dependency) and results/memory-latest.json.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchDir, machineFacts } from './env.mjs';
import { addUser, publishBody, putPublish } from './npmProtocol.mjs';
import { isolatedNpmEnv, prepareNpmEnv, writeProxyConsumer } from './populate.mjs';
import { memoryMiB, runProcess, stopAll } from './processes.mjs';
import { startRealStatic } from './realBench.mjs';
import { captureRealFixture, realCacheDir, writeRealConsumer } from './realFixture.mjs';
import { buildOurs, startOurs } from './servers.mjs';
import { makeTarball } from './tarball.mjs';

const log = (message) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const readers = 4;
const acceptAbbreviated = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

/**
 * Whether a read failed because the server closed the idle keep-alive socket under the client
 * (undici's "other side closed"): the idle time starts when the server's last write went into the
 * kernel, and a starved bench (load 40 on 2 cores) may still be decompressing that response. undici
 * then fails a response it has wholly received (its parser waits on the consumer when the close
 * comes), or a request it sent before reading the close. A GET is idempotent: retried once, counted apart.
 */
function closedUnderClient(error) {
  return error.cause?.code === 'UND_ERR_SOCKET';
}

export async function runMemory({ seconds, keep }) {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'registry-bench-memory-'));
  const loadStart = os.loadavg();
  const machine = machineFacts();
  try {
    await prepareNpmEnv(workDir);
    const locked = await captureRealFixture(log);
    log('building our registry (npx nx build registry)');
    await buildOurs();
    const upstream = await startRealStatic(workDir, [realCacheDir]);
    const serverDir = path.join(workDir, 'ours');
    await mkdir(serverDir, { recursive: true });
    const ours = await startOurs(serverDir, { name: 'ours-memory', upstream: upstream.url });
    const token = await addUser(ours.url, 'bench', 'bench-Password-1');
    const staticConsumer = path.join(workDir, 'static-consumer');
    await writeRealConsumer(staticConsumer, upstream.url, `registry=${upstream.url}\n`);
    const consumer = path.join(workDir, 'consumer');
    await writeProxyConsumer({
      dir: consumer,
      from: staticConsumer,
      upstream: upstream.url,
      registry: ours.url,
      token,
    });
    log(`ours (pid ${ours.pid}) proxying ${upstream.url}: mixed load for ${seconds} s`);

    const end = Date.now() + seconds * 1000;
    const counts = { reads: 0, readErrors: 0, readRetries: 0, installs: 0, publishes: 0 };
    let firstReadError;
    let firstRetry;
    const samples = [];
    const started = Date.now();
    const sampler = (async () => {
      while (Date.now() < end) {
        const { rss, peakRss } = memoryMiB(ours.pid);
        samples.push({ second: Math.round((Date.now() - started) / 1000), rss, peakRss, ...counts });
        await sleep(1000);
      }
    })();
    const reader = async (index) => {
      for (let i = index; Date.now() < end; i += readers) {
        const p = locked[i % locked.length];
        const tarball = i % 3 === 0;
        const url = tarball
          ? new URL(`${p.name}/-/${p.file}`, ours.url)
          : new URL(p.name.replace('/', '%2f'), ours.url);
        const headers = {
          'accept-encoding': 'gzip,deflate',
          accept: i % 2 ? acceptAbbreviated : 'application/json',
        };
        // A failed read (refused, or cut off mid-body) is counted and named, not fatal to the run.
        const read = () =>
          fetch(url, { headers }).then(async (response) => {
            await response.arrayBuffer();
            return response.ok || `${response.status} for ${url.pathname}`;
          });
        const describe = (error) =>
          `${error.message} (${error.cause?.message ?? 'no cause'}) for ${url.pathname}`;
        let ok = await read().catch((error) => error);
        if (ok instanceof Error && closedUnderClient(ok)) {
          counts.readRetries++;
          firstRetry ??= describe(ok);
          ok = await read().catch((error) => error);
        }
        if (ok === true) counts.reads++;
        else {
          counts.readErrors++;
          firstReadError ??= ok instanceof Error ? describe(ok) : ok;
        }
      }
    };
    const installer = async () => {
      while (Date.now() < end) {
        await rm(path.join(consumer, 'node_modules'), { recursive: true, force: true });
        await rm(path.join(consumer, '.npm-cache'), { recursive: true, force: true });
        await runProcess(
          'npm',
          ['ci', '--cache', '.npm-cache', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
          { cwd: consumer, env: isolatedNpmEnv(workDir), quiet: true },
        );
        counts.installs++;
      }
    };
    const publisher = async () => {
      for (let n = 0; Date.now() < end; n++) {
        const manifest = { name: '@bench/memory', version: `1.0.${n}`, description: 'memory run' };
        const tarball = makeTarball({
          'package.json': JSON.stringify(manifest),
          'data.txt': `${n} `.repeat(20_000),
        });
        await putPublish(ours.url, token, manifest.name, publishBody(ours.url, manifest, tarball));
        counts.publishes++;
        await sleep(2000);
      }
    };
    await Promise.all([
      sampler,
      installer(),
      publisher(),
      ...Array.from({ length: readers }, (_, i) => reader(i)),
    ]);

    const result = {
      machine,
      seconds,
      loadAverage: { start: loadStart, end: os.loadavg() },
      counts,
      firstReadError,
      firstRetry,
      peakRssMiB: Math.max(...samples.map((s) => s.peakRss)),
      samples,
    };
    await mkdir(path.join(benchDir, 'results'), { recursive: true });
    await writeFile(
      path.join(benchDir, 'results', 'memory-latest.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    await writeFile(path.join(benchDir, 'memory.svg'), svgPlot(result));
    log(
      `done: ${counts.reads} reads (${counts.readErrors} failed, ${counts.readRetries} retried after the client's socket closed${firstRetry ? `, the first: ${firstRetry}` : ''}), ${counts.installs} installs, ${counts.publishes} publishes${firstReadError ? ` (first failed read: ${firstReadError})` : ''}; peak RSS ${result.peakRssMiB.toFixed(0)} MiB; wrote bench/memory.svg`,
    );
    return result;
  } finally {
    await stopAll();
    if (keep) log(`kept ${workDir}`);
    else await rm(workDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

const xmlText = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** RSS (and the peak so far) over time as an SVG line chart, with the 250 MiB goal as a dashed line. */
export function svgPlot({ samples, seconds, machine, loadAverage, counts, peakRssMiB }) {
  const width = 900;
  const height = 360;
  const margin = { left: 60, right: 20, top: 50, bottom: 45 };
  const goal = 250;
  const maxY = Math.ceil(Math.max(goal, ...samples.map((s) => s.peakRss)) / 50) * 50 + 50;
  const maxX = Math.max(seconds, ...samples.map((s) => s.second));
  const x = (second) => margin.left + (second / maxX) * (width - margin.left - margin.right);
  const y = (mib) => height - margin.bottom - (mib / maxY) * (height - margin.top - margin.bottom);
  const line = (key) => samples.map((s) => `${x(s.second).toFixed(1)},${y(s[key]).toFixed(1)}`).join(' ');
  const grid = [];
  for (let mib = 0; mib <= maxY; mib += 50) {
    grid.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(mib)}" y2="${y(mib)}" stroke="#ddd"/>`,
      `<text x="${margin.left - 6}" y="${y(mib) + 4}" text-anchor="end">${mib}</text>`,
    );
  }
  const step = maxX > 300 ? 60 : maxX > 60 ? 30 : 10;
  for (let second = 0; second <= maxX; second += step) {
    grid.push(
      `<text x="${x(second)}" y="${height - margin.bottom + 16}" text-anchor="middle">${second}</text>`,
    );
  }
  const title = `Our registry's RSS under ${seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} s`} of mixed load (reads, npm ci, publishes), ${machine.date.slice(0, 16)} UTC`;
  const subtitle = `${counts.reads} reads${counts.readErrors ? ` (${counts.readErrors} failed)` : ''}${counts.readRetries ? ` (${counts.readRetries} retried)` : ''}, ${counts.installs} npm ci, ${counts.publishes} publishes; peak ${peakRssMiB.toFixed(0)} MiB; ${machine.cores} cores, load ${loadAverage.start[0].toFixed(1)} → ${loadAverage.end[0].toFixed(1)}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<title>${xmlText(title)}</title>
<rect width="100%" height="100%" fill="white"/>
<text x="${margin.left}" y="20" font-size="14">${xmlText(title)}</text>
<text x="${margin.left}" y="38" fill="#555">${xmlText(subtitle)}</text>
${grid.join('\n')}
<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(goal)}" y2="${y(goal)}" stroke="#c00" stroke-dasharray="6 4"/>
<text x="${margin.left + 6}" y="${y(goal) - 4}" fill="#c00">goal ≤ ${goal} MiB</text>
<polyline fill="none" stroke="#999" stroke-width="1" points="${line('peakRss')}"/>
<polyline fill="none" stroke="#06c" stroke-width="2" points="${line('rss')}"/>
<text x="${(margin.left + width - margin.right) / 2}" y="${height - 8}" text-anchor="middle">seconds (RSS from /proc/&lt;pid&gt;/status every second: blue VmRSS, grey VmHWM)</text>
<text transform="translate(16 ${(margin.top + height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle">MiB</text>
</svg>
`;
}
