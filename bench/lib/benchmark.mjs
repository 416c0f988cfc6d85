// The benchmark run: fixtures, servers, population, measurements, report — and cleanup whatever happens.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { measureBigPublish, writeBigTarball } from './bigPublish.mjs';
import { benchDir, formatForGit, machineFacts } from './env.mjs';
import { generateFixtures, names } from './fixtures.mjs';
import { measureLambda, startS3 } from './lambda.mjs';
import { latencySummary, loadTest, timeInstall, timePublishes } from './measure.mjs';
import { watchOtherWork } from './otherWork.mjs';
import { isolatedNpmEnv, populateRegistry, populateStatic, prepareNpmEnv } from './populate.mjs';
import { exitOf, memoryMiB, stopAll, stopProcess } from './processes.mjs';
import { measureProxies } from './proxyInstall.mjs';
import { measureReal } from './realBench.mjs';
import { writeReport } from './report.mjs';
import { scenarios } from './scenarios.mjs';
import { buildOurs, oursAvailable, oursSource, startOurs, startStatic, startVerdaccio } from './servers.mjs';

export const modes = {
  full: {
    manyVersions: 1000,
    treeSize: 100,
    publishCount: 50,
    publishManyCount: 20,
    seconds: 8,
    connections: 10,
    ciRuns: 3,
    ciWarmup: 1,
    proxyColdRuns: 3,
    realColdRuns: 3,
    realSeconds: 5, // 9 measures × 4 servers: shorter than the other load tests, to keep the run near 15 minutes
    realWarmUpSeconds: 1,
    realRounds: 1,
    bigPublishMiB: 100,
    bigPublishTimeoutSeconds: 300,
    lambdaColdRuns: 5,
    lambdaWarmRequests: 500,
    note: 'Load tests run 8 s each (10 s before the upstream-proxy measurement was added), to keep the full run within about 12 minutes.',
  },
  quick: {
    manyVersions: 100,
    treeSize: 30,
    publishCount: 15,
    publishManyCount: 10,
    seconds: 2,
    connections: 10,
    ciRuns: 1,
    ciWarmup: 1,
    proxyColdRuns: 2,
    realColdRuns: 2,
    realSeconds: 2,
    realWarmUpSeconds: 1,
    realRounds: 3,
    bigPublishMiB: 20,
    bigPublishTimeoutSeconds: 120,
    lambdaColdRuns: 2,
    lambdaWarmRequests: 100,
  },
};

const log = (message) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Runs `step` for each live target (in turn, or all at once); a failure marks that target failed and the run goes on. */
async function forEachLive(targets, step, { concurrently = false } = {}) {
  const guarded = async (target) => {
    try {
      await step(target);
    } catch (error) {
      target.status = 'failed';
      target.reason = error.message;
      log(`${target.name} FAILED: ${error.message}`);
    }
  };
  const live = targets.filter((target) => target.status === 'ok');
  if (concurrently) await Promise.all(live.map(guarded));
  else for (const target of live) await guarded(target);
}

/**
 * Ours on an S3 bucket (s3rver on loopback): `npm ci` from it, then the Lambda bundle's cold start
 * and warm requests on the same bucket, next to the same request from the server and from the
 * local API Gateway stand-in (`--lambda`) in front of the bundle.
 */
async function measureServerless({ fixtures, workDir, config }) {
  const s3 = await startS3();
  const started = [];
  const start = async (name, options) => {
    const dir = path.join(workDir, name);
    await mkdir(dir, { recursive: true });
    const server = await startOurs(dir, { name, env: s3.storageEnv, ...options });
    started.push(server.pid);
    return { ...server, status: 'ok' };
  };
  try {
    const server = await start('ours-s3');
    await populateRegistry(server, fixtures, workDir, { manyVersions: false });
    const install = await timeInstall({
      name: 'npm ci (ours on S3)',
      pid: server.pid,
      consumerDir: path.join(workDir, 'ours-s3', 'consumer'),
      runs: config.ciRuns,
      warmup: config.ciWarmup,
      exportFile: path.join(workDir, 'ours-s3', 'hyperfine.json'),
      env: isolatedNpmEnv(workDir),
    });
    log(`ours on S3: npm ci ${install.meanSeconds} s`);
    const gateway = await start('ours-lambda', { args: ['--lambda'] });
    const measured = await measureLambda({
      server,
      gateway,
      storageEnv: s3.storageEnv,
      runs: config.lambdaColdRuns,
      warmCount: config.lambdaWarmRequests,
    });
    log(
      `lambda: bundle ${(measured.bundleBytes / 1024 / 1024).toFixed(2)} MB, module load ${measured.handler.moduleLoadMs} ms, first request ${measured.handler.firstRequestMs} ms`,
    );
    return { install, ...measured };
  } finally {
    for (const pid of started) await stopProcess(pid);
    await s3.stop();
  }
}

let running;

/** Stops every started process and removes the run's temp folder (unless kept): at the end, or on abort. */
export async function cleanUp() {
  await stopAll();
  if (!running) return;
  const { workDir, keep } = running;
  running = undefined;
  if (keep) log(`kept ${workDir}`);
  // retries: on an abort, the interrupted run may still be writing into the folder
  else await rm(workDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

/**
 * The regression check's run: only the real-package section, only our registry (its ratios are to
 * the static server and the direct install, so Verdaccio adds nothing but minutes). Writes
 * results/check-latest.json; the caller compares or records.
 */
export async function runRealOnly({ mode, keep }) {
  const config = modes[mode];
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'registry-bench-check-'));
  running = { workDir, keep };
  const results = { mode, config, machine: machineFacts(), loadAverage: { start: os.loadavg() } };
  log(`${mode} regression run (real packages, ours only), work dir ${workDir}`);
  try {
    await prepareNpmEnv(workDir);
    log('building our registry (npx nx build registry)');
    await buildOurs();
    results.real = await measureReal({
      workDir,
      config,
      proxies: [
        { name: 'ours', start: (dir, upstream) => startOurs(dir, { name: 'ours-real-proxy', upstream }) },
      ],
      env: isolatedNpmEnv(workDir),
      log,
    });
    results.loadAverage.end = os.loadavg();
  } finally {
    await cleanUp();
  }
  await mkdir(path.join(benchDir, 'results'), { recursive: true });
  await writeFile(
    path.join(benchDir, 'results', 'check-latest.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  return results;
}

export async function runBenchmark({ mode, keep, skipOurs }) {
  const config = modes[mode];
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'registry-bench-'));
  running = { workDir, keep };
  const results = {
    mode,
    config,
    machine: machineFacts(),
    loadAverage: { start: os.loadavg() },
    targets: {},
    populate: {},
    scenarios: [],
    publish: {},
    publishMany: {},
    install: {},
    proxy: {},
    bigPublish: {},
    lambda: {},
    otherWork: {},
    memory: {},
    memoryTimeline: [],
  };
  log(`${mode} run, work dir ${workDir}`);
  const wholeRun = watchOtherWork();
  try {
    await prepareNpmEnv(workDir);
    log('generating fixtures (npm pack)');
    const fixtures = await generateFixtures(path.join(workDir, 'fixtures'), config);

    const ours = { name: 'ours', status: 'ok' };
    if (skipOurs) Object.assign(ours, { status: 'skipped', reason: '--skip-ours was given' });
    else if (!oursAvailable())
      Object.assign(ours, { status: 'skipped', reason: `${oursSource} does not exist yet` });
    await forEachLive([ours], async () => {
      log('building our registry (npx nx build registry)');
      await buildOurs();
    });
    const registries = [ours, { name: 'verdaccio', status: 'ok', anonymousBulkPublish: true }];
    const staticServer = { name: 'static', status: 'ok' };
    const starters = { ours: startOurs, verdaccio: startVerdaccio, static: startStatic };
    // peak and current RSS of every live server after each phase, to show where memory goes
    const snapshot = (phase) => {
      const row = { phase };
      for (const target of [...registries, staticServer]) {
        if (target.status === 'ok' && target.pid && !exitOf(target.pid))
          row[target.name] = memoryMiB(target.pid);
      }
      results.memoryTimeline.push(row);
    };
    await forEachLive([...registries, staticServer], async (target) => {
      const dir = path.join(workDir, target.name);
      await mkdir(dir, { recursive: true });
      Object.assign(target, await starters[target.name](dir));
      log(`${target.name} listening on ${target.url} (pid ${target.pid})`);
    });
    snapshot('started');
    // the CPU other work on the machine took during each measured phase, reported next to its numbers
    let watch;
    const watchPhase = (name) => {
      if (watch) results.otherWork[watch.name] = watch.stop();
      watch = name && { name, ...watchOtherWork() };
    };

    // each registry (unless skipped) as a caching proxy of an upstream URL, its processes named `<name>-<label>`
    const proxiesOf = (label) =>
      [
        { name: 'ours', start: (dir, upstream) => startOurs(dir, { name: `ours-${label}`, upstream }) },
        {
          name: 'verdaccio',
          start: (dir, upstream) => startVerdaccio(dir, { name: `verdaccio-${label}`, upstream }),
        },
      ].filter((proxy) => registries.find((r) => r.name === proxy.name).status !== 'skipped');

    await forEachLive(
      registries,
      async (target) => {
        log(`${target.name}: creating user, publishing fixtures (${config.manyVersions} versions by PUT)`);
        const started = performance.now();
        const { token, manyLatencies } = await populateRegistry(target, fixtures, workDir);
        target.token = token;
        results.populate[target.name] = {
          seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
          manyVersionPublish: latencySummary(manyLatencies),
        };
        log(`${target.name}: populated in ${results.populate[target.name].seconds} s`);
      },
      { concurrently: true },
    ); // not measured: population only has to finish, so registries load in parallel
    await forEachLive([staticServer], (target) => populateStatic(target, fixtures, workDir));
    snapshot('populated');

    watchPhase('reads');
    for (const scenario of scenarios(config)) {
      const entry = { id: scenario.id, title: scenario.title, target: scenario.target, results: {} };
      results.scenarios.push(entry);
      await forEachLive(scenario.alsoStatic ? [...registries, staticServer] : registries, async (target) => {
        try {
          const { url, check } = await scenario.prepare(target.url, target.token);
          const load = await loadTest({
            pid: target.pid,
            url,
            headers: scenario.headers(target.token),
            seconds: config.seconds,
            connections: config.connections,
          });
          entry.results[target.name] = { ...load, check };
          log(
            `${scenario.id} ${target.name}: ${load.requestsPerSecond} req/s, p99 ${load.latencyMs.p99} ms, ${load.cpuMsPerRequest} ms CPU/req`,
          );
        } catch (error) {
          entry.results[target.name] = { error: error.message };
          log(`${scenario.id} ${target.name}: ${error.message}`);
        }
      });
      snapshot(scenario.id);
    }

    watchPhase('publish');
    await forEachLive(registries, async (target) => {
      log(`${target.name}: timing ${config.publishCount} publishes`);
      results.publish[target.name] = await timePublishes({
        pid: target.pid,
        url: target.url,
        token: target.token,
        versions: fixtures.publish,
      });
      log(
        `${target.name}: timing ${config.publishManyCount} publishes into the ${config.manyVersions}-version package`,
      );
      results.publishMany[target.name] = await timePublishes({
        pid: target.pid,
        url: target.url,
        token: target.token,
        versions: fixtures.publishMany,
      });
    });
    snapshot('published');

    watchPhase('install');
    await forEachLive([...registries, staticServer], async (target) => {
      log(
        `${target.name}: npm ci of ${config.treeSize} packages (hyperfine, ${config.ciRuns} runs + ${config.ciWarmup} warm-up)`,
      );
      results.install[target.name] = await timeInstall({
        name: `npm ci (${target.name})`,
        pid: target.pid,
        consumerDir: path.join(workDir, target.name, 'consumer'),
        runs: config.ciRuns,
        warmup: config.ciWarmup,
        exportFile: path.join(workDir, target.name, 'hyperfine.json'),
        env: isolatedNpmEnv(workDir),
      });
      log(`${target.name}: npm ci ${results.install[target.name].meanSeconds} s`);
    });
    snapshot('npm ci');

    watchPhase('proxy');
    if (staticServer.status === 'ok') {
      const proxies = proxiesOf('proxy');
      log(
        `npm ci through an upstream proxy of the static server: ${config.proxyColdRuns} cold runs (new process each), then ${config.ciRuns} warm`,
      );
      results.proxy = await measureProxies({
        proxies,
        upstream: staticServer,
        workDir,
        coldRuns: config.proxyColdRuns,
        warmRuns: config.ciRuns,
        env: isolatedNpmEnv(workDir),
        log,
      });
    }

    watchPhase('real');
    log(
      'real packages: npm ci through each registry as a proxy of an in-memory static server, then load tests',
    );
    const realProxies = proxiesOf('real-proxy');
    // ours on S3 as well (s3rver): each proxy process on a new key prefix, so each cold round starts empty
    const s3 =
      ours.status === 'ok'
        ? await startS3().catch((error) => log(`no S3 for the real-package section: ${error.message}`))
        : undefined;
    let prefix = 0;
    if (s3) {
      const env = () => ({
        ...s3.storageEnv,
        REGISTRY_STORAGE: `${s3.storageEnv.REGISTRY_STORAGE}-real-${++prefix}`,
      });
      realProxies.push({
        name: 'ours-s3',
        start: (dir, upstream) => startOurs(dir, { name: 'ours-s3-real-proxy', upstream, env: env() }),
      });
      // The Lambda bundle behind the local API Gateway stand-in, on the same S3: it answers tarballs
      // (and packuments over Lambda's 6 MB) with a 302 to a signed URL. npm keeps its Authorization
      // header on a redirect that changes only the port, and S3 refuses a request authenticated
      // twice, so the signed URLs name the loopback `localhost`, another host name than the API's
      // 127.0.0.1, as a real bucket's host differs from API Gateway's.
      const signedHost = (endpoint) => endpoint.replace('//127.0.0.1:', '//localhost:');
      realProxies.push({
        name: 'ours-lambda',
        start: (dir, upstream) => {
          const lambdaEnv = env();
          lambdaEnv.AWS_ENDPOINT_URL_S3 = signedHost(lambdaEnv.AWS_ENDPOINT_URL_S3);
          return startOurs(dir, {
            name: 'ours-lambda-real-proxy',
            upstream,
            env: lambdaEnv,
            args: ['--lambda'],
          });
        },
      });
    }
    results.real = await measureReal({
      workDir,
      config,
      proxies: realProxies,
      env: isolatedNpmEnv(workDir),
      log,
    })
      .catch((error) => {
        log(`real-package section FAILED: ${error.stack ?? error.message}`);
        return { error: error.message };
      })
      .finally(() => s3?.stop());

    // the run's memory figures are read before the large publish, which reports its own before and peak
    for (const target of [...registries, staticServer]) {
      if (target.status === 'ok' && !exitOf(target.pid)) results.memory[target.name] = memoryMiB(target.pid);
    }

    watchPhase('lambda');
    if (ours.status === 'ok') {
      log('ours on S3 storage (s3rver): npm ci, then the Lambda bundle cold and warm');
      results.lambda = await measureServerless({ fixtures, workDir, config }).catch((error) => ({
        error: error.message,
      }));
    }

    watchPhase('bigPublish');
    const bigManifest = { name: names.huge, version: '1.0.0', description: 'large publish fixture' };
    log(`packing a ${config.bigPublishMiB} MiB tarball of incompressible bytes`);
    const bigTarball = await writeBigTarball(
      path.join(workDir, 'big-publish'),
      bigManifest,
      config.bigPublishMiB * 1024 * 1024,
    ).catch((error) => {
      results.bigPublish.error = error.message;
    });
    await forEachLive(bigTarball ? registries : [], async (target) => {
      log(`${target.name}: publishing ${config.bigPublishMiB} MiB while reading a packument in a loop`);
      const r = await measureBigPublish({
        pid: target.pid,
        url: target.url,
        token: target.token,
        manifest: bigManifest,
        tarball: bigTarball,
        timeoutMs: config.bigPublishTimeoutSeconds * 1000,
      });
      results.bigPublish[target.name] = r;
      log(
        `${target.name}: publish ${r.status ?? r.answer} in ${r.publishSeconds} s; ${r.reads} reads, max ${r.readMaxMs} ms; peak RSS ${r.peakRssMiB} MiB`,
      );
    });
    watchPhase();

    for (const target of [...registries, staticServer]) {
      const exit = target.pid && exitOf(target.pid);
      if (exit) {
        target.status = 'failed';
        target.reason = `exited during the run (code ${exit.code}, signal ${exit.signal}); last output: ${exit.output.slice(-1000)}`;
      }
      results.targets[target.name] = { status: target.status, reason: target.reason, url: target.url };
    }
    results.loadAverage.end = os.loadavg();
    results.otherWork.run = wholeRun.stop();
  } finally {
    await cleanUp();
  }

  const resultsDir = path.join(benchDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  await writeFile(path.join(resultsDir, `${results.machine.date.replaceAll(':', '-')}-${mode}.json`), json);
  const latest = path.join(resultsDir, `latest-${mode}.json`);
  await writeFile(latest, json);
  formatForGit(latest); // latest-full.json is kept in git
  // a quick run is for development: it must not replace the recorded full run
  const report =
    mode === 'full' ? path.join(benchDir, 'RESULTS.md') : path.join(resultsDir, `RESULTS-${mode}.md`);
  await writeReport(results, report);
  log(`wrote ${path.relative(process.cwd(), report)}`);
  return results;
}
