// Issue #18's measures on real packages: our registry and Verdaccio, each a caching proxy of an
// in-memory static server (realStaticServer.mjs, the ceiling) holding the real fixture, next to that
// server in the same run. Cold and warm `npm ci` of the fixture's lockfile (proxyInstall.mjs), then,
// on the warm proxies, load tests of packuments and tarballs (a cached upstream one and published ones
// from 5 KB to 5 MB), each as a ratio to the static server's figure.
import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchDir, childEnv, node24 } from './env.mjs';
import { loadTest } from './measure.mjs';
import { npmGet, publishBody, putPublish } from './npmProtocol.mjs';
import { memoryMiB, startProcess, stopProcess } from './processes.mjs';
import { measureProxies } from './proxyInstall.mjs';
import {
  cachePath,
  captureRealFixture,
  realCacheDir,
  tarballFile,
  writeRealConsumer,
} from './realFixture.mjs';
import { makeTarball } from './tarball.mjs';

/** Published tarball sizes; on the static server under another scope, so no proxy sees them upstream. */
const sizes = [
  { label: '5 KB', bytes: 5 * 1024 },
  { label: '50 KB', bytes: 50 * 1024 },
  { label: '500 KB', bytes: 500 * 1024 },
  { label: '5 MB', bytes: 5 * 1024 * 1024 },
];
const sizedName = (scope, label) => `@${scope}/size-${label.replace(' ', '').toLowerCase()}`;

/** Incompressible, the same on every run: an AES-CTR keystream with a fixed key. */
function payload(bytes) {
  return createCipheriv('aes-128-ctr', Buffer.alloc(16, 3), Buffer.alloc(16)).update(Buffer.alloc(bytes));
}

/** The sized packages: tarballs for publishing, and the static server's copy under `@ceiling/`. */
async function sizedFixtures(root) {
  const fixtures = [];
  for (const { label, bytes } of sizes) {
    const name = sizedName('bench', label);
    const manifest = { name, version: '1.0.0', description: `published tarball of ${label}` };
    const tarball = makeTarball({ 'package.json': JSON.stringify(manifest), 'payload.bin': payload(bytes) });
    const staticName = sizedName('ceiling', label);
    const file = tarballFile(staticName, '1.0.0');
    const version = JSON.parse(publishBody('http://x/', manifest, tarball)).versions['1.0.0'];
    version.dist.tarball = `http://x/${staticName}/-/${file}`;
    const packument = { name: staticName, 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': version } };
    await mkdir(cachePath(root, staticName, '-'), { recursive: true });
    await writeFile(cachePath(root, staticName, 'full.json'), JSON.stringify(packument));
    await writeFile(cachePath(root, staticName, '-', file), tarball);
    fixtures.push({ label, name, staticName, manifest, tarball });
  }
  return fixtures;
}

const round = (value, digits = 2) => Number(value.toFixed(digits));
/** What API Gateway passes to Lambda in one invocation (its 6 MB payload limit, less the event's envelope). */
const LAMBDA_MAX_REQUEST_BYTES = 6 * 1024 * 1024 - 64 * 1024;

/** The measures, each checked with one request first; `nameFor(target)` picks the package. */
function realScenarios(locked, sized) {
  const zod = locked.find((p) => p.name === 'zod');
  const packument = (id, title, name, abbreviated, goal) => ({
    id,
    title,
    goal,
    kind: 'packument',
    name,
    abbreviated,
  });
  return [
    packument('real-small-abbreviated', 'small packument (ee-first), abbreviated', 'ee-first', true, 0.7),
    packument('real-small-full', 'small packument (ee-first), full', 'ee-first', false, 0.7),
    packument('real-typescript-full', 'typescript packument (~10 MB), full', 'typescript', false, 0.9),
    packument('real-typescript-abbreviated', 'typescript packument, abbreviated', 'typescript', true, 0.9),
    {
      id: 'real-zod-tarball',
      title: `cached upstream tarball (zod ${zod.version}, ~1.1 MB)`,
      goal: 0.8,
      kind: 'tarball',
      name: 'zod',
      version: zod.version,
    },
    ...sized.map((s) => ({
      id: `published-tarball-${s.label.replace(' ', '').toLowerCase()}`,
      title: `published tarball, ${s.label}`,
      goal: 0.8,
      kind: 'tarball',
      name: s.name,
      staticName: s.staticName,
      version: '1.0.0',
    })),
  ];
}

const acceptAbbreviated = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

async function prepare(scenario, target) {
  const name = target.name === 'static' && scenario.staticName ? scenario.staticName : scenario.name;
  const packumentUrl = new URL(name.replace('/', '%2f'), target.url).href;
  const abbreviated = scenario.kind === 'packument' && scenario.abbreviated;
  const { status, headers, body } = await npmGet(packumentUrl, { abbreviated });
  if (status !== 200)
    throw new Error(`GET ${packumentUrl} answered ${status}: ${body.toString().slice(0, 200)}`);
  const doc = JSON.parse(body.toString());
  if (scenario.kind === 'packument') {
    return {
      url: packumentUrl,
      headers: {
        accept: abbreviated ? acceptAbbreviated : 'application/json',
        'accept-encoding': 'gzip,deflate',
      },
      check: {
        versions: Object.keys(doc.versions ?? {}).length,
        bodyBytes: body.length,
        encoding: headers.get('content-encoding') ?? 'identity',
        contentType: headers.get('content-type'),
      },
    };
  }
  const dist = doc.versions?.[scenario.version]?.dist;
  if (!dist) throw new Error(`GET ${packumentUrl} has no version ${scenario.version}`);
  const tarball = await npmGet(dist.tarball);
  const integrity = `sha512-${createHash('sha512').update(tarball.body).digest('base64')}`;
  if (tarball.status !== 200 || integrity !== dist.integrity)
    throw new Error(`GET ${dist.tarball} answered ${tarball.status} with bytes not matching dist.integrity`);
  return {
    url: dist.tarball,
    headers: { accept: '*/*', 'accept-encoding': 'gzip,deflate' },
    check: { bodyBytes: tarball.body.length },
  };
}

export function startRealStatic(dir, roots) {
  return startProcess({
    name: 'real-static',
    command: node24,
    args: [path.join(benchDir, 'lib', 'realStaticServer.mjs'), ...roots],
    cwd: benchDir,
    env: childEnv(),
    logFile: path.join(dir, 'server.log'),
    ready: /listening on (http:\/\/\S+)/,
  });
}

/**
 * The whole real section. `proxies` as for measureProxies (ours and Verdaccio started as proxies of
 * an upstream URL). Returns { fixture, proxy, scenarios, memory }.
 */
export async function measureReal({ workDir, config, proxies, env, log }) {
  const locked = await captureRealFixture(log);
  const dir = path.join(workDir, 'real');
  const sizedRoot = path.join(dir, 'sized');
  await mkdir(sizedRoot, { recursive: true });
  const sized = await sizedFixtures(sizedRoot);
  const upstream = { name: 'real-static', ...(await startRealStatic(dir, [realCacheDir, sizedRoot])) };
  log(`real fixture: ${locked.length} locked packages; static server at ${upstream.url}`);
  const scenarios = realScenarios(locked, sized);
  const results = {
    fixture: { lockedPackages: locked.length, names: new Set(locked.map((p) => p.name)).size },
    scenarios: scenarios.map(({ id, title, goal }) => ({ id, title, goal, results: {} })),
  };
  try {
    await writeRealConsumer(
      path.join(dir, upstream.name, 'consumer'),
      upstream.url,
      `registry=${upstream.url}\n`,
    );
    results.proxy = await measureProxies({
      proxies,
      upstream,
      workDir: dir,
      coldRuns: config.realColdRuns,
      warmRuns: config.ciRuns,
      env,
      log,
      whileWarm: async (servers) => {
        const tooLarge = new Set();
        for (const [name, server] of Object.entries(servers)) {
          const published = [];
          for (const s of sized) {
            const body = publishBody(server.url, s.manifest, s.tarball);
            // Lambda takes at most 6 MB a request: larger publishes use direct uploads (README).
            if (name === 'ours-lambda' && Buffer.byteLength(body) > LAMBDA_MAX_REQUEST_BYTES) {
              tooLarge.add(`${name} ${s.name}`);
              continue;
            }
            await putPublish(server.url, server.token, s.name, body);
            published.push(s.label);
          }
          log(`${name} proxy: published tarballs of ${published.join(', ')}`);
        }
        const targets = [
          { ...upstream, name: 'static' },
          ...Object.entries(servers).map(([name, server]) => ({ ...server, name })),
        ];
        for (const [index, scenario] of scenarios.entries()) {
          for (const target of targets) {
            if (tooLarge.has(`${target.name} ${scenario.name}`)) {
              results.scenarios[index].results[target.name] = { overLambdaLimit: true };
              continue;
            }
            try {
              const { url, headers, check } = await prepare(scenario, target);
              // A 302 to storage (Lambda: every tarball, packuments over 6 MB) hands the bytes to
              // S3; its rate would not compare with serving them, so it is noted, not load-tested.
              const first = await fetch(url, { headers, redirect: 'manual' });
              await first.arrayBuffer();
              if (first.status >= 300 && first.status < 400) {
                results.scenarios[index].results[target.name] = { redirected: true, check };
                log(`${scenario.id} ${target.name}: ${first.status} to storage, not load-tested`);
                continue;
              }
              // An unmeasured second first, then the best of `realRounds`: a 2 s quick measure of code
              // not yet optimised, or one that meets a major GC, read as half the steady rate and
              // tripped the regression check on unchanged code.
              const options = { pid: target.pid, url, headers, connections: config.connections };
              await loadTest({ ...options, seconds: config.realWarmUpSeconds });
              let load;
              for (let round = 0; round < config.realRounds; round++) {
                const measured = await loadTest({ ...options, seconds: config.realSeconds });
                if (load === undefined || measured.requestsPerSecond > load.requestsPerSecond) load = measured;
              }
              results.scenarios[index].results[target.name] = { ...load, check };
              log(
                `${scenario.id} ${target.name}: ${load.requestsPerSecond} req/s, ${load.cpuMsPerRequest} ms CPU/req`,
              );
            } catch (error) {
              results.scenarios[index].results[target.name] = { error: error.message };
              log(`${scenario.id} ${target.name}: ${error.message}`);
            }
          }
        }
      },
    });
    results.memory = { static: memoryMiB(upstream.pid) };
  } finally {
    await stopProcess(upstream.pid);
  }
  return results;
}

/**
 * The run's issue-#18 ratios, each { id, title, ratio, better: 'higher' | 'lower', goal }: req/s as
 * ours ÷ static, installs as ours ÷ direct, and our peak RSS in MiB (not a ratio, but the machine's
 * cores do not change it). Verdaccio's come as `verdaccio`.
 */
export function realRatios(results, who = 'ours') {
  const real = results.real;
  if (!real?.scenarios) return [];
  const rows = [];
  for (const s of real.scenarios) {
    const mine = s.results[who];
    const ceiling = s.results.static;
    if (typeof mine?.requestsPerSecond === 'number' && ceiling?.requestsPerSecond)
      rows.push({
        id: s.id,
        title: `${s.title}, req/s`,
        ratio: round(mine.requestsPerSecond / ceiling.requestsPerSecond),
        better: 'higher',
        goal: s.goal,
      });
  }
  const direct = real.proxy?.direct?.meanSeconds;
  const proxy = real.proxy?.[who];
  if (direct && proxy?.cold) {
    rows.push({
      id: 'npm-ci-cold',
      title: 'cold `npm ci` through the proxy ÷ direct',
      ratio: round(proxy.cold.meanSeconds / direct),
      better: 'lower',
      goal: 1.2,
    });
    rows.push({
      id: 'npm-ci-warm',
      title: 'warm `npm ci` with a token ÷ direct',
      ratio: round(proxy.warm.meanSeconds / direct),
      better: 'lower',
    });
  }
  const peaks = [results.memory?.[who]?.peakRss, results.proxy?.[who]?.peakRssMiB, proxy?.peakRssMiB].filter(
    Boolean,
  );
  if (peaks.length)
    rows.push({
      id: 'peak-rss-mib',
      title: 'peak RSS of any of its processes, MiB',
      ratio: round(Math.max(...peaks), 0),
      better: 'lower',
      goal: 250,
    });
  return rows;
}
