// The measurements: autocannon load with server CPU from /proc, hyperfine for `npm ci`, timed publishes.
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { publishBody, putPublish } from './npmProtocol.mjs';
import { cpuMillis, runProcess } from './processes.mjs';

const round = (value, digits = 2) => Number(value.toFixed(digits));

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * autocannon keeps every response body as a string (`body += chunk`, a UTF-8 decode per chunk); for
 * 1 MB tarballs that costs the load generator several times what it costs the server, on the same
 * cores. Nothing here inspects bodies (each scenario is validated beforehand), so they are dropped;
 * status codes, byte counts and latencies are still recorded.
 */
function dropBodies(client) {
  client.pipelinedRequests.addBody = () => {};
}

/** ~`seconds` of load with `connections` concurrent keep-alive connections; CPU is the server's own. */
export async function loadTest({ pid, url, headers, seconds, connections }) {
  const cpuBefore = cpuMillis(pid);
  const result = await autocannon({
    url,
    headers,
    duration: seconds,
    connections,
    timeout: 60,
    setupClient: dropBodies,
  });
  const cpu = cpuMillis(pid) - cpuBefore;
  const requests = result.requests.total;
  return {
    requestsPerSecond: round(requests / result.duration, 1),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    cpuMsPerRequest: requests > 0 ? round(cpu / requests, 3) : null,
    requests,
    bytesPerResponse: requests > 0 ? Math.round(result.throughput.total / requests) : 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    connections,
  };
}

/** Wall time of `npm ci` (clean node_modules and an empty npm cache per run); CPU is the server's. */
export async function timeInstall({ name, pid, consumerDir, runs, warmup, exportFile, env }) {
  const cpuBefore = pid ? cpuMillis(pid) : 0;
  await runProcess(
    'hyperfine',
    [
      '--runs',
      String(runs),
      '--warmup',
      String(warmup),
      '--prepare',
      'rm -rf node_modules .npm-cache && mkdir .npm-cache',
      '--export-json',
      exportFile,
      '--command-name',
      name,
      '--style',
      'basic',
      'npm ci --cache .npm-cache --ignore-scripts --no-audit --no-fund --loglevel=error',
    ],
    { cwd: consumerDir, env, quiet: true },
  );
  const cpu = pid ? cpuMillis(pid) - cpuBefore : 0;
  const [result] = JSON.parse(await readFile(exportFile, 'utf8')).results;
  return {
    meanSeconds: round(result.mean, 3),
    stddevSeconds: round(result.stddev ?? 0, 3),
    minSeconds: round(result.min, 3),
    maxSeconds: round(result.max, 3),
    times: result.times.map((t) => round(t, 3)),
    serverCpuSecondsPerInstall: pid ? round(cpu / 1000 / (runs + warmup), 3) : null,
    runs,
    warmup,
  };
}

/** Sequential publishes of new versions; each PUT round trip timed on its own. */
export async function timePublishes({ pid, url, token, versions }) {
  const cpuBefore = cpuMillis(pid);
  const latencies = [];
  for (const { manifest, tarball } of versions) {
    const body = publishBody(url, manifest, tarball);
    latencies.push(await putPublish(url, token, manifest.name, body));
  }
  const cpu = cpuMillis(pid) - cpuBefore;
  return { ...latencySummary(latencies), cpuMsPerPublish: round(cpu / versions.length, 2) };
}

export function latencySummary(latencies) {
  return {
    count: latencies.length,
    medianMs: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    maxMs: round(Math.max(...latencies)),
  };
}
