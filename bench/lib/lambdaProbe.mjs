// One cold start of the Lambda bundle, then warm invocations. Run as a process of its own, so that
// the import is cold: `node lambdaProbe.mjs <bundle> <packument path> <tarball path> <warm count>`.
// Prints one JSON line. The environment is the function's (storage, access settings).
import { pathToFileURL } from 'node:url';

const [bundle, packumentPath, tarballPath, warmCount] = process.argv.slice(2);

/** An API Gateway HTTP API event (payload format 2.0) for a GET on the `$default` stage, as npm sends it. */
function event(rawPath, accept) {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: {
      host: 'registry.bench.invalid',
      accept,
      'accept-encoding': 'gzip,deflate',
      'user-agent': 'npm/11 node/v24 linux x64 workspaces/false',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'registry.bench.invalid',
      domainPrefix: 'registry',
      http: {
        method: 'GET',
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'npm/11',
      },
      requestId: `bench-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

const abbreviated = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const started = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const loaded = performance.now();
const first = await handler(event(packumentPath, abbreviated));
const answered = performance.now();
if (first.statusCode !== 200)
  throw new Error(`GET ${packumentPath} answered ${first.statusCode}: ${first.body}`);
const tarball = await handler(event(tarballPath, '*/*'));

const latencies = [];
const cpuBefore = process.cpuUsage();
for (let i = 0; i < Number(warmCount); i++) {
  const t = performance.now();
  const result = await handler(event(packumentPath, abbreviated));
  latencies.push(performance.now() - t);
  if (result.statusCode !== 200) throw new Error(`warm GET answered ${result.statusCode}`);
}
const cpu = process.cpuUsage(cpuBefore);
latencies.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    moduleLoadMs: loaded - started,
    firstRequestMs: answered - started,
    tarballStatus: tarball.statusCode,
    tarballLocationHost: tarball.headers?.location ? new URL(tarball.headers.location).host : null,
    warmP50Ms: latencies[Math.floor(latencies.length / 2)],
    warmP99Ms: latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)],
    warmCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / latencies.length,
  })}\n`,
);
