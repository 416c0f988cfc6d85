// `npm ci` through an upstream proxy: each registry proxying the static file server on loopback.
// Cold: per round a new proxy process on empty storage, a user and token, one timed `npm ci`; the
// same round installs straight from the static server ("direct"), so load on the machine hits all
// alike. Warm: the last round's proxy, which now holds every package, timed again with hyperfine.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { timeInstall } from './measure.mjs';
import { addUser } from './npmProtocol.mjs';
import { writeProxyConsumer } from './populate.mjs';
import { memoryMiB, stopProcess } from './processes.mjs';

const round = (value, digits = 3) => Number(value.toFixed(digits));

/** Mean, spread and server CPU of single timed installs, in the shape `timeInstall` returns. */
function summary(installs) {
  const times = installs.map((r) => r.meanSeconds);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const variance = times.reduce((sum, t) => sum + (t - mean) ** 2, 0) / Math.max(1, times.length - 1);
  const cpu = installs.map((r) => r.serverCpuSecondsPerInstall);
  return {
    meanSeconds: round(mean),
    stddevSeconds: round(Math.sqrt(variance)),
    minSeconds: Math.min(...times),
    maxSeconds: Math.max(...times),
    times,
    serverCpuSecondsPerInstall: cpu.includes(null)
      ? null
      : round(cpu.reduce((a, b) => a + b, 0) / cpu.length),
    runs: times.length,
    warmup: 0,
  };
}

/**
 * `proxies`: [{ name, start(dir, upstreamUrl) → server }]; `upstream`: the running static server,
 * whose consumer project (`<workDir>/<upstream.name>/consumer`) is the one every proxy installs, rewritten.
 * `whileWarm({ <name>: { url, pid, token } })`, if given, runs after the warm installs on the proxies
 * that now hold every package, before their peak RSS is read.
 * Returns { direct, <name>: { cold, warm, peakRssMiB } or { error } }. Stops every proxy it starts.
 */
export async function measureProxies({
  proxies,
  upstream,
  workDir,
  coldRuns,
  warmRuns,
  env,
  log,
  whileWarm,
}) {
  const upstreamConsumer = path.join(workDir, upstream.name, 'consumer');
  const install = (name, pid, consumerDir, runs) =>
    timeInstall({
      name,
      pid,
      consumerDir,
      runs,
      warmup: 0,
      exportFile: path.join(consumerDir, '..', `hyperfine-${runs}.json`),
      env,
    });
  const states = proxies.map((proxy) => ({
    ...proxy,
    name: `${proxy.name} proxy`,
    key: proxy.name,
    cold: [],
  }));
  const directState = { name: 'direct', key: 'direct', cold: [] };
  // a contender that fails is left out from then on; the run goes on with the others
  const guarded = async (list, step) => {
    for (const state of list.filter((s) => !s.error)) {
      try {
        await step(state);
      } catch (error) {
        state.error = error.message;
        log(`${state.name} FAILED: ${error.message}`);
      }
    }
  };
  try {
    for (let run = 1; run <= coldRuns; run++) {
      // fresh proxies first, so no start-up overlaps a timed install
      await guarded(states, async (state) => {
        if (state.server) await stopProcess(state.server.pid);
        const dir = path.join(workDir, `${state.key}-proxy`, `cold-${run}`);
        await mkdir(dir, { recursive: true });
        state.server = await state.start(dir, upstream.url);
        const token = await addUser(state.server.url, 'bench', 'bench-Password-1');
        state.token = token;
        state.consumerDir = path.join(dir, 'consumer');
        await writeProxyConsumer({
          dir: state.consumerDir,
          from: upstreamConsumer,
          upstream: upstream.url,
          registry: state.server.url,
          token,
        });
      });
      // the order rotates per round, so none of the three always runs after another's aftermath
      const contenders = [...states.filter((s) => !s.error), directState];
      const shift = (run - 1) % contenders.length;
      for (const state of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
        await guarded([state], async () => {
          const { pid } = state === directState ? upstream : state.server;
          const consumerDir = state === directState ? upstreamConsumer : state.consumerDir;
          const cold = await install(`npm ci (${state.name}, cold)`, pid, consumerDir, 1);
          state.cold.push(cold);
          log(`${state.name}, cold run ${run}: npm ci ${cold.meanSeconds} s`);
        });
      }
    }
    await guarded(states, async (state) => {
      state.warm = await install(
        `npm ci (${state.name}, warm)`,
        state.server.pid,
        state.consumerDir,
        warmRuns,
      );
      log(`${state.name}, warm: npm ci ${state.warm.meanSeconds} s (${warmRuns} runs)`);
    });
    const warm = states.filter((s) => !s.error);
    await whileWarm?.(Object.fromEntries(warm.map((s) => [s.key, { ...s.server, token: s.token }])));
    await guarded(states, async (state) => {
      state.peakRssMiB = memoryMiB(state.server.pid).peakRss;
    });
  } finally {
    for (const state of states) if (state.server) await stopProcess(state.server.pid);
  }
  const results = { coldRuns, warmRuns };
  for (const state of [directState, ...states]) {
    results[state.key] = state.error
      ? { error: state.error }
      : state === directState
        ? summary(state.cold)
        : {
            url: state.server.url,
            cold: summary(state.cold),
            warm: state.warm,
            peakRssMiB: state.peakRssMiB,
          };
  }
  return results;
}
