// Child process: Verdaccio 6 in-process through its runServer API, storage in BENCH_VERDACCIO_DIR,
// a large body limit, on a random loopback port. Prints "listening on <url>" when ready. No uplinks,
// unless BENCH_VERDACCIO_UPLINK names one: then it proxies every package to it, as a cache.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runServer } from 'verdaccio';

const dir = process.env.BENCH_VERDACCIO_DIR;
if (!dir) throw new Error('BENCH_VERDACCIO_DIR is required');
mkdirSync(path.join(dir, 'storage'), { recursive: true });

const uplink = process.env.BENCH_VERDACCIO_UPLINK;
// Anonymous publish is allowed only so the harness can load 1,000 versions without a bcrypt check per
// PUT (see populate.mjs); every measured request (reads with a token, npm ci, timed publishes) sends one.
// The proxy takes no publishes, so it gets the usual rules.
const rules = uplink
  ? { access: '$all', publish: '$authenticated', unpublish: '$authenticated', proxy: 'upstream' }
  : { access: '$all', publish: '$all', unpublish: '$authenticated' };
const app = await runServer({
  self_path: path.join(dir, 'config.yaml'),
  storage: path.join(dir, 'storage'),
  auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 1000 } },
  uplinks: uplink ? { upstream: { url: uplink, cache: true } } : {},
  packages: { '@*/*': rules, '**': rules },
  max_body_size: '1000mb',
  web: { enable: false },
  log: { type: 'stdout', format: 'json', level: 'warn' },
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
