// Renders a run's results as the Markdown tables of bench/RESULTS.md.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchDir } from './env.mjs';
import { realRatios } from './realBench.mjs';

const names = { ours: 'ours', verdaccio: 'Verdaccio', static: 'static' };

function number(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds with as many decimals as a small value needs. */
function ms(value) {
  if (value === null || value === undefined) return '–';
  return number(value, value < 1 ? 3 : value < 10 ? 2 : 1);
}

function ratio(a, b) {
  if (!a || !b) return '–';
  const r = a / b;
  return `${number(r, r >= 10 ? 0 : 2)}×`;
}

function load(averages) {
  return averages ? averages.map((a) => number(a, 2)).join(' / ') : '–';
}

function verdict(met) {
  if (met === undefined) return '';
  return met ? ' ✅' : ' ❌';
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function targetStatus(results) {
  return Object.entries(results.targets)
    .map(
      ([name, t]) =>
        `- ${names[name]}: ${t.status === 'ok' ? `ran at ${t.url}` : `**${t.status}** — ${t.reason}`}`,
    )
    .join('\n');
}

function throughputTable(results) {
  const cell = (r, pick) => {
    if (r?.error) return 'error';
    if (r?.redirected) return '302 to S3';
    if (r?.overLambdaLimit) return 'over 6 MB: direct upload';
    return r ? pick(r) : '–';
  };
  const rows = results.scenarios.map((s) => {
    const o = s.results.ours;
    const v = s.results.verdaccio;
    const met = s.target && o && !o.error ? o.requestsPerSecond >= s.target : undefined;
    return [
      s.title,
      cell(o, (r) => number(r.requestsPerSecond) + verdict(met)),
      cell(v, (r) => number(r.requestsPerSecond)),
      ratio(o?.requestsPerSecond, v?.requestsPerSecond),
      s.target ? `≥ ${number(s.target)}` : '–',
      cell(o, (r) => number(r.latencyMs.p99)),
      cell(v, (r) => number(r.latencyMs.p99)),
      cell(o, (r) => ms(r.cpuMsPerRequest)),
      cell(v, (r) => ms(r.cpuMsPerRequest)),
    ];
  });
  return table(
    [
      'scenario',
      'ours req/s',
      'Verdaccio req/s',
      'ours ÷ Verdaccio',
      'target (ours)',
      'ours p99 ms',
      'Verdaccio p99 ms',
      'ours CPU ms/req',
      'Verdaccio CPU ms/req',
    ],
    rows,
  );
}

/** The static server's figures for scenarios it also ran: what serving plain files costs here. */
function floor(results) {
  const lines = results.scenarios
    .filter((s) => s.results.static && !s.results.static.error)
    .map((s) => {
      const r = s.results.static;
      return `Floor, ${s.title} from the static file server: ${number(r.requestsPerSecond)} req/s, p99 ${number(r.latencyMs.p99)} ms, ${ms(r.cpuMsPerRequest)} ms CPU/req.`;
    });
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

function installTable(results) {
  const ours = results.install.ours?.meanSeconds;
  const staticMean = results.install.static?.meanSeconds;
  const rows = Object.entries(results.install).map(([name, r]) => {
    const met = name === 'ours' && staticMean ? r.meanSeconds <= 1.1 * staticMean : undefined;
    return [
      names[name],
      number(r.meanSeconds, 2) + verdict(met),
      number(r.stddevSeconds, 2),
      `${number(r.minSeconds, 2)} – ${number(r.maxSeconds, 2)}`,
      r.serverCpuSecondsPerInstall === null ? '–' : number(r.serverCpuSecondsPerInstall, 2),
      name === 'ours' ? '1.00×' : ratio(ours, r.meanSeconds),
    ];
  });
  return table(['server', 'mean s', '± s', 'min – max s', 'server CPU s / install', 'ours ÷ this'], rows);
}

const proxyTargets = { cold: 1.3, warm: 1.1 };

/** Cold and warm installs through each proxy, against installing straight from the upstream. */
function proxyTable(results) {
  const p = results.proxy;
  const direct = p.direct?.meanSeconds;
  const row = (label, r, target) => [
    label,
    number(r.meanSeconds, 2) + verdict(target && direct ? r.meanSeconds <= target * direct : undefined),
    number(r.stddevSeconds, 2),
    `${number(r.minSeconds, 2)} – ${number(r.maxSeconds, 2)}`,
    ratio(r.meanSeconds, direct),
    target ? `≤ ${number(target, 1)}× direct` : '–',
    r.serverCpuSecondsPerInstall === null ? '–' : number(r.serverCpuSecondsPerInstall, 2),
  ];
  const rows = [];
  for (const name of ['ours', 'verdaccio']) {
    const r = p[name];
    if (!r) continue;
    if (r.error) rows.push([`${names[name]}`, 'failed (see Anomalies)', '', '', '', '', '']);
    else {
      for (const kind of ['cold', 'warm'])
        rows.push(row(`${names[name]}, ${kind}`, r[kind], name === 'ours' ? proxyTargets[kind] : undefined));
    }
  }
  rows.push(row('direct from the upstream (static)', p.direct));
  return table(
    ['install', 'mean s', '± s', 'min – max s', '÷ direct', 'target (ours)', 'server CPU s / install'],
    rows,
  );
}

function proxySection(results) {
  const p = results.proxy;
  if (!p?.direct) return '';
  const c = results.config;
  const rss = ['ours', 'verdaccio']
    .filter((name) => p[name]?.peakRssMiB)
    .map((name) => `${names[name]} ${number(p[name].peakRssMiB)} MiB`);
  return `
## \`npm ci\` of ${c.treeSize} packages through an upstream proxy (the static file server as the upstream, on loopback; token in \`.npmrc\`, empty npm cache per run)

Cold: ${p.coldRuns} runs, each on a new proxy process with empty storage (a user and token made first), the lockfile's \`resolved\` URLs pointing at the proxy, so every tarball is fetched from the upstream during the install. Warm: the last of those processes again, ${p.warmRuns} hyperfine run(s). Direct: the same lockfile straight from the upstream (no token: it has no auth), one run in each cold round. The order of the three rotates from round to round.
${otherWork(results, 'proxy')}${proxyCaveat(results)}
${proxyTable(results)}

Peak RSS of the last proxy process: ${rss.join(', ') || '–'}.
`;
}

/**
 * Under other work, "÷ direct" is a ratio of two noisy numbers; the static server's own npm ci in
 * the section before shows how far apart two measurements of the same install can land.
 */
function proxyCaveat(results) {
  const share = results.otherWork?.proxy?.share ?? 0;
  const before = results.install.static?.meanSeconds;
  const direct = results.proxy.direct?.meanSeconds;
  if (share < 0.1 || !before || !direct) return '';
  return `\n⚠ With this much other work the ratios to direct are not reliable: the same \`npm ci\` straight from the static server took ${number(before, 2)} s (mean) in the section above and ${number(direct, 2)} s here. See README.md, "Notes on a busy machine".\n`;
}

/** How busy other work kept the machine during a phase: a disturbed number is flagged where it stands. */
function otherWork(results, phase) {
  const w = results.otherWork?.[phase];
  if (!w) return '';
  const cores = results.machine.cores;
  if (w.cores < 0.05)
    return `\nOther work on the machine during this section: none to speak of (${number(w.cores, 2)} of ${cores} cores).\n`;
  const busiest = w.top.map((t) => `\`${t.name}\` ${number(t.cpuSeconds, 1)} s`).join(', ');
  const flag = w.share >= 0.1 ? '⚠ ' : '';
  return `\n${flag}Other work on the machine during this section (${number(w.seconds)} s): on average ${number(w.cores, 2)} of the ${cores} cores (${number(w.share * 100)} %) went to processes outside the benchmark${busiest ? `, busiest: ${busiest} of CPU` : ''}.\n`;
}

function publishTable(results) {
  const row = (label, a, b, target, met) => [
    label,
    number(a, 1) + verdict(met),
    number(b, 1),
    ratio(a, b),
    target,
  ];
  const rows = (title, { ours: o, verdaccio: v }, target) => [
    row(
      `${title}: median ms`,
      o?.medianMs,
      v?.medianMs,
      target ? `≤ ${target}` : '–',
      target && o ? o.medianMs <= target : undefined,
    ),
    row(`${title}: p95 ms`, o?.p95Ms, v?.p95Ms, '–'),
    row(`${title}: server CPU ms / publish`, o?.cpuMsPerPublish, v?.cpuMsPerPublish, '–'),
  ];
  const c = results.config;
  return table(
    ['publish PUT round trip', 'ours', 'Verdaccio', 'ours ÷ Verdaccio', 'target (ours)'],
    [
      ...rows(`${c.publishCount} new versions of a new package`, results.publish, 20),
      ...rows(
        `${c.publishManyCount} new versions of the ${c.manyVersions}-version package`,
        results.publishMany,
      ),
    ],
  );
}

/** Issue #12's bounds for our registry: no read waits more than 250 ms, peak RSS under 300 MB. */
const bigPublishTargets = { readMaxMs: 250, peakRssMiB: 300 };

function bigPublishSection(results) {
  const b = results.bigPublish;
  if (!b) return '';
  const c = results.config;
  const rows = ['ours', 'verdaccio']
    .filter((name) => b[name])
    .map((name) => {
      const r = b[name];
      const within = (value, bound) => (name === 'ours' && value !== null ? value <= bound : undefined);
      return [
        names[name],
        r.ok ? `${r.status}` : `**failed**: ${r.status ?? 'no answer'}`,
        number(r.publishSeconds, 2),
        number(r.reads),
        ms(r.readMaxMs) + verdict(within(r.readMaxMs, bigPublishTargets.readMaxMs)),
        ms(r.readP99Ms),
        number(r.rssBeforeMiB),
        number(r.peakRssMiB) + verdict(within(r.peakRssMiB, bigPublishTargets.peakRssMiB)),
      ];
    });
  const reset = Object.values(b).some((r) => r.peakReset === false)
    ? " (⚠ the peak could not be reset here: it is the process's peak since it started)"
    : '';
  return `
## Large publish while reading (one PUT of a ${c.bigPublishMiB} MiB package, the small packument read in a loop meanwhile)

A ${b.ours?.tarballMiB ?? b.verdaccio?.tarballMiB ?? c.bigPublishMiB} MiB tarball of incompressible bytes, its body streamed with \`Content-Length\` and the token, as \`npm publish\` sends it; one client reads the small packument (full, \`accept-encoding: gzip,deflate\`) back to back until the publish has answered. Run after every other section, each registry in turn; peak RSS is this section's own${reset}. Targets (ours, issue #12): slowest read ≤ ${bigPublishTargets.readMaxMs} ms, peak RSS ≤ ${bigPublishTargets.peakRssMiB} MiB.
${otherWork(results, 'bigPublish')}${b.error ? `\nThe tarball could not be made: ${b.error}\n` : ''}
${table(
  [
    'server',
    'publish status',
    'publish s',
    'reads meanwhile',
    'slowest read ms',
    'read p99 ms',
    'RSS before MiB',
    'peak RSS MiB',
  ],
  rows,
)}
`;
}

const lambdaTargets = { bundleMiB: 2, firstRequestMs: 150 };

function lambdaSection(results) {
  const l = results.lambda;
  if (!l || Object.keys(l).length === 0) return '';
  const title = '\n## Serverless: the Lambda bundle, and ours on S3 storage (s3rver on 127.0.0.1)\n';
  if (l.error) return `${title}\nThe section failed: ${l.error.replaceAll('\n', ' ').slice(0, 600)}\n`;
  const h = l.handler;
  const bundleMiB = l.bundleBytes / 1024 / 1024;
  const fsInstall = results.install?.ours?.meanSeconds;
  return `${title}
Targets (issue #13): bundle ≤ ${lambdaTargets.bundleMiB} MB, first request ≤ ${lambdaTargets.firstRequestMs} ms.
${otherWork(results, 'lambda')}
- Bundle \`apps/registry/dist/lambda/index.mjs\`: ${number(bundleMiB, 2)} MB${verdict(bundleMiB <= lambdaTargets.bundleMiB)}
- Cold start in a fresh Node process (median of ${h.runs}): module load ${ms(h.moduleLoadMs)} ms; first request (module load, start-up with the conditional-write probe on S3, and the small abbreviated packument read from S3) ${ms(h.firstRequestMs)} ms${verdict(h.firstRequestMs <= lambdaTargets.firstRequestMs)}
- A tarball GET through the handler answers ${h.tarballStatus}${h.tarballLocationHost ? ` to a signed URL at ${h.tarballLocationHost}` : ''}
- \`npm ci\` of ${results.config.treeSize} packages from ours on S3: ${number(l.install?.meanSeconds, 2)} s (± ${number(l.install?.stddevSeconds, 2)}), on the filesystem (above): ${number(fsInstall, 2)} s, ratio ${ratio(l.install?.meanSeconds, fsInstall)}; tarballs stream through the server here (it does not redirect)

Warm requests for the small abbreviated packument, one at a time (${h.warmCount} each):

${table(
  ['path', 'p50 ms', 'p99 ms', 'CPU ms/request'],
  [
    [
      'handler invoked in-process (what Lambda runs, without HTTP)',
      ms(h.warmP50Ms),
      ms(h.warmP99Ms),
      ms(h.warmCpuMsPerRequest),
    ],
    ['local API Gateway stand-in (`--lambda`) over HTTP', ms(l.gateway.p50Ms), ms(l.gateway.p99Ms), '–'],
    ['server over HTTP, same bucket', ms(l.server.p50Ms), ms(l.server.p99Ms), '–'],
  ],
)}
`;
}

/** Issue #18's goals: each measure on real packages as a ratio to the static server (or the direct install). */
function realSection(results) {
  const real = results.real;
  if (!real) return '';
  if (real.error) return `\n## Real packages (issue #18)\n\nThe section failed: ${real.error}\n`;
  const c = results.config;
  const p = real.proxy ?? {};
  const labels = {
    ours: 'ours',
    verdaccio: 'Verdaccio',
    'ours-s3': 'ours on S3 (s3rver)',
    'ours-lambda': 'ours on Lambda (stand-in, s3rver)',
  };
  const who = Object.keys(labels).filter((name) => p[name]);
  const ratios = Object.fromEntries(
    who.map((name) => [name, Object.fromEntries(realRatios(results, name).map((r) => [r.id, r]))]),
  );
  // the goal's verdict is given for ours (on files), the registry the goals are set for
  const withVerdict = (name, id, goal) => {
    const r = ratios[name][id];
    if (!r) return '–';
    const met =
      name === 'ours' && goal !== undefined
        ? r.better === 'higher'
          ? r.ratio >= goal
          : r.ratio <= goal
        : undefined;
    return `${number(r.ratio, 2)}×${verdict(met)}`;
  };
  const cell = (r, pick) => {
    if (r?.error) return 'error';
    if (r?.redirected) return '302 to S3';
    if (r?.overLambdaLimit) return 'over 6 MB: direct upload';
    return r ? pick(r) : '–';
  };
  const rows = real.scenarios.map((s) => [
    `${s.title}, req/s`,
    cell(s.results.static, (r) => number(r.requestsPerSecond)),
    ...who.flatMap((name) => [
      cell(s.results[name], (r) => number(r.requestsPerSecond)),
      withVerdict(name, s.id, s.goal),
    ]),
    `≥ ${number(s.goal, 1)}×`,
    ['static', ...who].map((name) => cell(s.results[name], (r) => ms(r.cpuMsPerRequest))).join(' / '),
  ]);
  for (const [kind, goal] of [
    ['cold', 1.2],
    ['warm', undefined],
  ]) {
    rows.push([
      `${kind} \`npm ci\`${kind === 'warm' ? ' with a token' : ' (empty proxy storage)'}, s (static: direct)`,
      number(p.direct?.meanSeconds, 2),
      ...who.flatMap((name) => [
        number(p[name]?.[kind]?.meanSeconds, 2),
        withVerdict(name, `npm-ci-${kind}`, goal),
      ]),
      goal ? `≤ ${number(goal, 1)}× direct` : '–',
      `server CPU s / install: ${['–', ...who.map((name) => number(p[name]?.[kind]?.serverCpuSecondsPerInstall, 2))].join(' / ')}`,
    ]);
  }
  const peak = (name) => ratios[name]['peak-rss-mib']?.ratio;
  rows.push([
    'peak RSS over the whole run, MiB (the most of any of its processes)',
    number(real.memory?.static?.peakRss),
    ...who.flatMap((name) => [number(peak(name)) + (name === 'ours' ? verdict(peak(name) <= 250) : ''), '']),
    '≤ 250 MiB',
    '',
  ]);
  const header = [
    'measure',
    'static',
    ...who.flatMap((name) => [labels[name], `${labels[name]} ÷ static`]),
    'goal (ours)',
    `CPU ms/req ${['static', ...who].map((name) => labels[name] ?? name).join(' / ')}`,
  ];
  const plot = existsSync(path.join(benchDir, 'memory.svg'))
    ? '\nMemory over time under a mixed load (a separate run: `node bench/run.mjs --memory 10m`; its own date and load are in the picture):\n\n![our RSS over a mixed run](memory.svg)\n'
    : '';
  const s3 = p['ours-s3']
    ? " Ours also runs on S3 storage (s3rver on loopback behind the storage tests' conditional-write double, a new key prefix per proxy process): s3rver stores every object as files with its own metadata, so this column shows the S3 code path, not S3's speed."
    : '';
  const lambda = p['ours-lambda']
    ? " Ours also runs as the Lambda bundle behind the local API Gateway stand-in (`main.js --lambda`) on the same s3rver: it answers tarballs, and packuments over Lambda's 6 MB response limit, with a 302 to a signed URL that npm follows to s3rver (named `localhost`, so npm drops its token on the way, as it does for a real bucket's host), so those cells say so instead of a rate; the 5 MB tarball is not published there, because its publish body is over Lambda's 6 MB request limit (such publishes use direct uploads)."
    : '';
  return `
## Real packages (issue #18): each registry as a caching proxy of an in-memory static server (the ceiling)

Fixture: the ${real.fixture.lockedPackages} packages (${real.fixture.names} names) of \`fixtures/real/package-lock.json\` (typescript and zod among them), packuments and tarballs captured once from the registry npm is configured with into \`.cache/real/\`. The static server (\`lib/realStaticServer.mjs\`) holds every packument pre-rendered (full and abbreviated, plain and gzipped) and every tarball in memory, its \`dist.tarball\` URLs rewritten to itself. Ours and Verdaccio run as caching proxies of it (fresh storage).${s3}${lambda} First \`npm ci\` of the lockfile: ${p.coldRuns ?? '–'} cold round(s), each on a new proxy process with empty storage, timed next to the same install straight from the static server ("direct"), in rotating order; then ${p.warmRuns ?? '–'} warm run(s) through the last proxy, token in \`.npmrc\`. Then, on those warm proxies, load tests (autocannon, ${c.realSeconds} s each after ${c.realWarmUpSeconds ?? 0} s unmeasured${(c.realRounds ?? 1) > 1 ? `, the best of ${c.realRounds} rounds` : ''}, ${c.connections} connections, \`accept-encoding: gzip,deflate\`): packuments (the first request fills the proxy's cache), the zod tarball the install cached, and tarballs of 5 KB to 5 MB of incompressible bytes published to each registry (the static server serves the same bytes). Ratios are to the static server in the same run, so a slower machine moves them less than req/s; on a busy machine the CPU per request is the steadier figure.
${otherWork(results, 'real')}
${table(header, rows)}
${plot}`;
}

/** The phases after which some server's peak RSS grew by at least 1 MiB: where the memory went. */
function growth(timeline) {
  return timeline.filter((row, i) => {
    const before = timeline[i - 1];
    return (
      !before ||
      ['ours', 'verdaccio', 'static'].some((n) => (row[n]?.peakRss ?? 0) - (before[n]?.peakRss ?? 0) >= 1)
    );
  });
}

function memoryTable(results) {
  const m = results.memory;
  const met = m.ours ? m.ours.peakRss <= 250 : undefined;
  const each = (pick) => ['ours', 'verdaccio', 'static'].map((name) => number(pick(name)));
  const [oursPeak, ...otherPeaks] = each((name) => m[name]?.peakRss);
  return table(
    ['memory (MiB)', 'ours', 'Verdaccio', 'static', 'target (ours)'],
    [
      [
        'peak RSS (VmHWM) over the run until the large publish',
        oursPeak + verdict(met),
        ...otherPeaks,
        '≤ 250',
      ],
      ['RSS before the large publish', ...each((name) => m[name]?.rss), '–'],
      ...growth(results.memoryTimeline).map((row) => [
        `peak RSS after: ${row.phase}`,
        ...each((name) => row[name]?.peakRss),
        '',
      ]),
    ],
  );
}

function notes(results) {
  const lines = [];
  for (const [name, label] of [
    ['ours', 'ours as an upstream proxy'],
    ['verdaccio', 'Verdaccio as an upstream proxy'],
    ['direct', 'installing straight from the upstream'],
  ]) {
    const error = results.proxy?.[name]?.error;
    if (error) lines.push(`- ${label}: ${error.replaceAll('\n', ' ').slice(0, 600)}`);
  }
  for (const [name, r] of Object.entries(results.bigPublish ?? {})) {
    if (typeof r !== 'object') continue;
    if (!r.ok) lines.push(`- large publish, ${names[name]}: ${r.status ?? 'no answer'}: ${r.answer}`);
    if (r.readErrors)
      lines.push(
        `- large publish, ${names[name]}: ${r.readErrors} reads failed, the first: ${r.firstReadError}`,
      );
  }
  for (const [name, r] of Object.entries(results.real?.proxy ?? {})) {
    if (r?.error)
      lines.push(`- real packages, ${names[name] ?? name}: ${r.error.replaceAll('\n', ' ').slice(0, 600)}`);
  }
  for (const s of [...results.scenarios, ...(results.real?.scenarios ?? [])]) {
    for (const [name, r] of Object.entries(s.results)) {
      if (r.error) lines.push(`- ${s.title}, ${names[name]}: ${r.error}`);
      else {
        if (r.check?.note) lines.push(`- ${s.title}, ${names[name]}: ${r.check.note}`);
        if (r.non2xx || r.errors || r.timeouts) {
          lines.push(
            `- ${s.title}, ${names[name]}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
          );
        }
      }
    }
  }
  return lines.length ? `\n## Anomalies\n\n${lines.join('\n')}\n` : '';
}

export function renderReport(results) {
  const m = results.machine;
  const c = results.config;
  return `# Registry benchmark: ours vs Verdaccio ${m.verdaccio}

Generated by \`node bench/run.mjs\` (${results.mode} mode) on ${m.date}. Do not edit by hand; see [README.md](README.md) for what each number means.

Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.kernel}; Node ${m.node}, npm ${m.npm}; autocannon ${m.autocannon}, ${m.hyperfine}. Load average (1/5/15 min) at the start: ${load(results.loadAverage.start)}, at the end: ${load(results.loadAverage.end)} — anything above 0 means other work shared the cores, which lowers req/s and raises latency but hardly moves CPU per request. Servers and load generator share the same cores, all on 127.0.0.1.${c.note ? ` ${c.note}` : ''}
${otherWork(results, 'run').replace('during this section', 'during the whole run')}
${targetStatus(results)}
${realSection(results)}
## Reads (autocannon, ${c.seconds} s each, ${c.connections} connections, \`accept-encoding: gzip,deflate\` as npm sends)
${otherWork(results, 'reads')}
${throughputTable(results)}
${floor(results)}
## \`npm ci\` of ${c.treeSize} packages from a lockfile (hyperfine, ${c.ciRuns} timed run(s) after ${c.ciWarmup} warm-up, empty npm cache per run, token in \`.npmrc\` for the registries)
${otherWork(results, 'install')}
${installTable(results)}
${proxySection(results)}
## Publish (sequential PUTs as \`npm publish\` sends them)
${otherWork(results, 'publish')}
${publishTable(results)}

## Memory

${memoryTable(results)}
${bigPublishSection(results)}${lambdaSection(results)}${notes(results)}`;
}

export async function writeReport(results, file) {
  await writeFile(file, renderReport(results));
}
