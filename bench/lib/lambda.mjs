// The serverless path, ours only: the Lambda bundle's size, its cold start and warm requests on S3
// storage, the same request from the server on the same bucket, and `npm ci` with S3 storage. S3 is
// s3rver on 127.0.0.1 behind the conditional-write test double the storage tests use.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { childEnv, node24, workspaceDir } from './env.mjs';
import { names } from './fixtures.mjs';
import { percentile } from './measure.mjs';
import { npmGet } from './npmProtocol.mjs';
import { runProcess } from './processes.mjs';

export const lambdaBundle = path.join(workspaceDir, 'apps', 'registry', 'dist', 'lambda', 'index.mjs');
const s3Double = path.join(workspaceDir, 'libs', 'storage', 'tests', 'support', 's3rver.ts');
const round = (value, digits = 1) => Number(value.toFixed(digits));

/** s3rver with one bucket; `storageEnv` is what a registry process needs to use it. */
export async function startS3() {
  const { startS3rver } = await import(s3Double);
  const s3 = await startS3rver();
  const bucket = await s3.createBucket();
  return {
    storageEnv: { ...s3.env(), REGISTRY_STORAGE: `s3://${bucket}/registry` },
    stop: () => s3.stop(),
  };
}

/**
 * `runs` fresh processes, each importing the bundle and answering one packument request (the cold
 * start), then `warmCount` more (warm): medians of the cold figures, the warm figures of the last.
 * The requests are the small package's abbreviated packument and its first tarball.
 */
async function probeHandler({ env, runs, warmCount }) {
  const packumentPath = `/${names.small.replace('/', '%2f')}`;
  const tarballPath = `/${names.small}/-/small-1.0.0.tgz`;
  const samples = [];
  for (let run = 0; run < runs; run++) {
    const output = await runProcess(
      node24,
      [
        path.join(import.meta.dirname, 'lambdaProbe.mjs'),
        lambdaBundle,
        packumentPath,
        tarballPath,
        String(warmCount),
      ],
      { cwd: workspaceDir, env: childEnv(env), quiet: true },
    );
    samples.push(JSON.parse(output.trim().split('\n').pop()));
  }
  const median = (pick) => round(percentile(samples.map(pick), 50));
  const last = samples.at(-1);
  return {
    runs,
    moduleLoadMs: median((s) => s.moduleLoadMs),
    firstRequestMs: median((s) => s.firstRequestMs),
    tarballStatus: last.tarballStatus,
    tarballLocationHost: last.tarballLocationHost,
    warmCount,
    warmP50Ms: round(last.warmP50Ms, 3),
    warmP99Ms: round(last.warmP99Ms, 3),
    warmCpuMsPerRequest: round(last.warmCpuMsPerRequest, 3),
  };
}

/** The same abbreviated packument request from a running server, one at a time over keep-alive HTTP. */
async function timeServerRequests(url, count) {
  const target = new URL(names.small.replace('/', '%2f'), url).href;
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const { status } = await npmGet(target, { abbreviated: true });
    latencies.push(performance.now() - t);
    if (status !== 200) throw new Error(`GET ${target} answered ${status}`);
  }
  return { p50Ms: round(percentile(latencies, 50), 3), p99Ms: round(percentile(latencies, 99), 3) };
}

/**
 * Everything the Lambda section reports: `server` is ours on the S3 bucket of `storageEnv`
 * (populated), `gateway` the local API Gateway stand-in in front of the bundle on the same bucket.
 */
export async function measureLambda({ server, gateway, storageEnv, runs, warmCount }) {
  const { size } = await stat(lambdaBundle);
  const env = {
    ...storageEnv,
    REGISTRY_UPSTREAM: 'none',
    REGISTRY_PUBLIC_READ: 'true',
    LOG_LEVEL: 'warn',
  };
  return {
    bundleBytes: size,
    handler: await probeHandler({ env, runs, warmCount }),
    gateway: await timeServerRequests(gateway.url, warmCount),
    server: await timeServerRequests(server.url, warmCount),
  };
}
